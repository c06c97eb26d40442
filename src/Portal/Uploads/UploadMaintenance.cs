using Microsoft.Extensions.Options;
using Portal.Audit;

namespace Portal.Uploads;

/// <summary>
/// At start-up, records sends that a stopped portal left half-done; then, every <see cref="AuditOptions.PurgeInterval"/>,
/// removes staged files older than <see cref="AuditOptions.StagedFileRetention"/>. The records and hashes stay; each purge is an event.
/// </summary>
public sealed partial class UploadMaintenance(
    IServiceScopeFactory scopes,
    StagingStore staging,
    AuditStore audit,
    AuditSearch search,
    IOptions<AuditOptions> options,
    TimeProvider clock,
    ILogger<UploadMaintenance> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await using (var scope = scopes.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<UploadService>().RecoverInterruptedSendsAsync(stoppingToken);
        }

        using var timer = new PeriodicTimer(options.Value.PurgeInterval, clock);
        do
        {
            await PurgeExpiredAsync(stoppingToken);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    public async Task PurgeExpiredAsync(CancellationToken cancellationToken)
    {
        var retention = options.Value.StagedFileRetention;
        foreach (var id in staging.StagedBefore(clock.GetUtcNow().UtcDateTime - retention).ToList())
        {
            var upload = await search.FindAsync(id, cancellationToken);
            // A file is never purged while it is being sent.
            if (upload?.State.Status == AuditEventKinds.Sending)
            {
                continue;
            }

            staging.Delete(id);
            if (upload is not null)
            {
                await audit.AppendAsync(AuditEventKinds.StagedFilePurged, AuditActor.System, id, new { retentionDays = retention.TotalDays }, cancellationToken);
            }

            LogPurged(logger, id);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Purged the staged files of upload {UploadId} after the retention period")]
    private static partial void LogPurged(ILogger logger, Guid uploadId);
}
