using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Portal.Tencent;

public static class TencentExtensions
{
    /// <summary>The configured Tencent Push apps, the typed client that uploads to them, and the rate-limit gate they share.</summary>
    public static void AddTencentPush(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<TencentOptions>()
            .Bind(builder.Configuration.GetSection(TencentOptions.SectionName))
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
}
