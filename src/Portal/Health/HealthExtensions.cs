using Dapper;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Portal.Data;

namespace Portal.Health;

public static class HealthExtensions
{
    private const string ReadyTag = "ready";

    public static void AddPortalHealthChecks(this IServiceCollection services) =>
        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database", tags: [ReadyTag]);

    /// <summary><c>/health/live</c>: the process answers. <c>/health/ready</c>: and the database can be queried. Both anonymous.</summary>
    public static void MapPortalHealthChecks(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHealthChecks("/health/live", new() { Predicate = _ => false }).AllowAnonymous();
        endpoints.MapHealthChecks("/health/ready", new() { Predicate = check => check.Tags.Contains(ReadyTag) }).AllowAnonymous();
    }

    private sealed class DatabaseHealthCheck(SqliteConnectionFactory connections) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            try
            {
                await using var connection = await connections.OpenAsync(cancellationToken);
                await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM schema_migrations");
                return HealthCheckResult.Healthy();
            }
            catch (Exception exception) when (exception is Microsoft.Data.Sqlite.SqliteException or IOException or UnauthorizedAccessException)
            {
                return HealthCheckResult.Unhealthy("The audit database cannot be queried.", exception);
            }
        }
    }
}
