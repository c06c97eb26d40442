using Microsoft.Extensions.Options;
using Portal.Audit;

namespace Portal.Uploads;

/// <summary>
/// Every <see cref="AuditOptions.PurgeInterval"/>, removes staged files older than <see cref="AuditOptions.StagedFileRetention"/>.
/// The records and hashes stay; each purge is an event, and a file waiting to be sent or being sent is never purged.
/// </summary>
public sealed partial class UploadMaintenance(
    StagingStore staging,
    UploadStore store,
    IOptions<AuditOptions> options,
    TimeProvider clock,
    ILogger<UploadMaintenance> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
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
            // Recorded first, and only if the upload's life allows it now; a file with no upload (left by a crash) just goes.
            var outcome = await store.WriteAsync(id, async writer => await UploadStore.StateAsync(writer, id) is null
                ? Purge.Orphan
                : await UploadStore.RecordAsync(writer, id, AuditActor.System, new StagedFilePurged(retention.TotalDays)) is null ? Purge.Kept : Purge.Recorded,
                cancellationToken);
            if (outcome != Purge.Kept)
            {
                staging.Delete(id);
                LogPurged(logger, id);
            }
        }
    }

    private enum Purge
    {
        Recorded,
        Orphan,
        Kept,
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Purged the staged files of upload {UploadId} after the retention period")]
    private static partial void LogPurged(ILogger logger, Guid uploadId);
}
