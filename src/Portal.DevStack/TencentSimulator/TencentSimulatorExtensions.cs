using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Portal.DevStack.TencentSimulator;

/// <summary>Registration and endpoint of the Tencent Push package-upload simulator.</summary>
internal static class TencentSimulatorExtensions
{
    public static IServiceCollection AddTencentSimulator(this IServiceCollection services, TencentSimulatorSettings settings)
    {
        services.AddSingleton(settings);
        services.AddSingleton<TencentSimulatorRecorder>();
        services.AddSingleton<PackageUploadHandler>();
        return services;
    }

    public static void MapTencentSimulator(this WebApplication app)
    {
        var settings = app.Services.GetRequiredService<TencentSimulatorSettings>();

        app.MapPost(
                settings.PathPrefix + TencentSimulatorSettings.UploadPath,
                (HttpContext context, PackageUploadHandler handler) => handler.HandleAsync(context))
            .AllowAnonymous()
            .DisableAntiforgery()
            .WithMetadata(new RequestSizeLimit(TencentSimulatorSettings.MaxRequestBodySize))
            .ExcludeFromDescription();

        app.Services.GetRequiredService<ILoggerFactory>()
            .CreateLogger("Portal.DevStack.TencentSimulator")
            .SimulatorEnabled(
                settings.PathPrefix + TencentSimulatorSettings.UploadPath,
                string.Join(", ", settings.Apps.Select(a => a.Fault is null ? a.Credential.AccessId : a.Credential.AccessId + " (with a fault)")));
    }

    private sealed class RequestSizeLimit(long maxRequestBodySize) : IRequestSizeLimitMetadata
    {
        public long? MaxRequestBodySize { get; } = maxRequestBodySize;
    }
}
