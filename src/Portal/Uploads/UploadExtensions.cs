namespace Portal.Uploads;

public static class UploadExtensions
{
    public static void AddUploads(this IServiceCollection services)
    {
        services.AddSingleton<StagingStore>();
        services.AddScoped<UploadService>();
        services.AddSingleton<UploadMaintenance>();
        services.AddHostedService(provider => provider.GetRequiredService<UploadMaintenance>());
    }
}
