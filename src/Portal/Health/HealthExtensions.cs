using System.Text.Json;
using Dapper;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Portal.Data;

namespace Portal.Health;

public static class HealthExtensions
{
    private const string ReadyTag = "ready";

    public static void AddPortalHealthChecks(this IServiceCollection services) =>
        services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database", tags: [ReadyTag])
            .AddCheck<IdentityProviderHealthCheck>("identity-provider", tags: [ReadyTag]);

    /// <summary>
    /// <c>/health/live</c>: the process answers. <c>/health/ready</c>: and the database can be queried and the identity
    /// provider's discovery document fetched; the answer names what is wrong. Both anonymous.
    /// </summary>
    public static void MapPortalHealthChecks(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHealthChecks("/health/live", new() { Predicate = _ => false }).AllowAnonymous();
        endpoints.MapHealthChecks("/health/ready", new()
        {
            Predicate = check => check.Tags.Contains(ReadyTag),
            ResponseWriter = WriteReportAsync,
        }).AllowAnonymous();
    }

    /// <summary><c>{"status":"Unhealthy","checks":{"identity-provider":{"status":"Unhealthy","description":"…"}}}</c>.</summary>
    private static Task WriteReportAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        return JsonSerializer.SerializeAsync(context.Response.Body, new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(entry => entry.Key, entry => new { status = entry.Value.Status.ToString(), description = entry.Value.Description }),
        });
    }

    private sealed class DatabaseHealthCheck(PortalDatabase database) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            try
            {
                await using var connection = await database.OpenAsync(cancellationToken);
                await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM schema_migrations");
                return HealthCheckResult.Healthy("The audit database answers.");
            }
            catch (Exception exception) when (exception is System.Data.Common.DbException or IOException or UnauthorizedAccessException or TimeoutException)
            {
                return HealthCheckResult.Unhealthy("The audit database cannot be queried.", exception);
            }
        }
    }

    /// <summary>Nobody can sign in when the provider cannot be reached: fetches its discovery document (5 s at most).</summary>
    private sealed class IdentityProviderHealthCheck(IOptionsMonitor<OpenIdConnectOptions> oidc) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            var options = oidc.Get(OpenIdConnectDefaults.AuthenticationScheme);
            var discovery = $"{options.Authority?.TrimEnd('/')}/.well-known/openid-configuration";
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(5));
            try
            {
                using var response = await options.Backchannel.GetAsync(discovery, timeout.Token);
                return response.IsSuccessStatusCode
                    ? HealthCheckResult.Healthy($"The identity provider answers at {options.Authority}.")
                    : HealthCheckResult.Unhealthy($"The identity provider's discovery document {discovery} answered HTTP {(int)response.StatusCode}.");
            }
            catch (Exception exception) when (exception is HttpRequestException or OperationCanceledException)
            {
                return HealthCheckResult.Unhealthy($"The identity provider cannot be reached at {discovery}: {(exception is OperationCanceledException ? "no answer within 5 s" : exception.Message)}");
            }
        }
    }
}
