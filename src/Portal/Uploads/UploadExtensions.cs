namespace Portal.Uploads;

public static class UploadExtensions
{
    /// <summary>The upload domain: staging, the store of an upload's life, the actions people take, the send worker and retention.</summary>
    public static void AddUploads(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<UploadOptions>()
            .Bind(builder.Configuration.GetSection(UploadOptions.SectionName))
            .Validate(options => options.MaxConcurrentSends >= 1, "Uploads:MaxConcurrentSends must be at least 1.")
            .Validate(options => options.MaxConcurrentValidations >= 1, "Uploads:MaxConcurrentValidations must be at least 1.")
            .Validate(options => options.MaxTransfersPerUser >= 1, "Uploads:MaxTransfersPerUser must be at least 1.")
            .Validate(options => options.ProgressInterval > TimeSpan.Zero && options.SendLease >= options.ProgressInterval * 3,
                "Uploads:SendLease must be at least three times Uploads:ProgressInterval, so one late report does not lose a send.")
            .Validate(options => options.QueuePollInterval > TimeSpan.Zero, "Uploads:QueuePollInterval must be positive.")
            .ValidateOnStart();
        builder.Services.AddSingleton<StagingStore>();
        builder.Services.AddSingleton<TransferBoard>();
        builder.Services.AddSingleton<ValidationQueue>();
        builder.Services.AddSingleton<PackageReceiver>();
        builder.Services.AddSingleton<UploadIntake>();
        builder.Services.AddSingleton<UploadChanges>();
        builder.Services.AddSingleton<UploadStore>();
        builder.Services.AddSingleton<SendSignals>();
        builder.Services.AddSingleton<UploadService>();
        // The send status shows Tencent's pause of an app, which this portal's gate and the shared store both know of.
        builder.Services.AddSingleton<Tencent.TencentPauses>();
        builder.Services.AddSingleton<EarlierSends>();
        builder.Services.AddSingleton<Data.IMigrationStep, UploadStateRebuild>();
        builder.Services.AddSingleton<SendWorker>();
        builder.Services.AddHostedService(provider => provider.GetRequiredService<SendWorker>());
        builder.Services.AddHostedService<UploadMaintenance>();
    }
}
