using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Portal.DevStack;

namespace Portal.Tencent;

public static class TencentExtensions
{
    /// <summary>The configured Tencent Push apps, the typed client that uploads to them, and the rate-limit gate they share.</summary>
    public static void AddTencentPush(this WebApplicationBuilder builder, DevStackConnection devStack)
    {
        ArgumentNullException.ThrowIfNull(devStack);
        builder.Services.AddOptions<TencentOptions>()
            .Bind(builder.Configuration.GetSection(TencentOptions.SectionName))
            .PostConfigure(options => ConnectSimulatorApps(options, devStack.TencentSimulator))
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<TencentOptions>, TencentOptionsValidator>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<TencentRateLimitGate>();

        // No resilience handler: the standard one retries POSTs and times out after 30 s, both wrong for a 100 MB
        // upload without an idempotency key. The client applies its own timeouts and retries only unopened connections.
        // Nor the client factory's request logging: at Trace it keeps the raw Authorization header, which holds the
        // SecretKey, among its structured values. The client logs each upload's outcome itself.
        builder.Services.AddHttpClient<TencentPushClient>(client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(services =>
                TencentPushClient.CreatePrimaryHandler(services.GetRequiredService<IOptions<TencentOptions>>().Value))
            .RemoveAllLoggers();
    }

    /// <summary>Apps with region Simulator talk to the development simulator, with the credentials it generated.</summary>
    private static void ConnectSimulatorApps(TencentOptions options, DevTencentSimulatorClient? simulator)
    {
        foreach (var app in options.Apps.Where(app => app.Region == TencentRegion.Simulator))
        {
            var credential = simulator?.Apps.FirstOrDefault(candidate => candidate.AccessId == app.AccessId);
            if (credential is not null)
            {
                app.BaseUrl = simulator!.BaseUrl;
                app.SecretKey = credential.SecretKey;
            }
        }
    }
}
