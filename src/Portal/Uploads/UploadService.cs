using Microsoft.Extensions.Options;
using Portal.Audit;
using Portal.Auth;
using Portal.Tencent;

namespace Portal.Uploads;

/// <summary>What came of asking for something to be done with an upload, in words for the person who asked.</summary>
public sealed record UploadActionResult(bool Done, string Message);

/// <summary>A staged file to hand to someone, the download already recorded.</summary>
public sealed record StagedDownload(string Path, string FileName, string ContentType);

/// <summary>
/// What people do with an upload once it is received: look at it, send it (a job for the <see cref="SendWorker"/>), retry
/// or cancel a send, download its files. Every action is checked with <see cref="UploadAccess"/> and recorded.
/// </summary>
public sealed class UploadService(
    UploadStore store,
    AuditSearch search,
    AuditTrail trail,
    StagingStore staging,
    IOptions<TencentOptions> tencentOptions,
    SendSignals signals)
{
    private const string NoSuchUpload = "There is no such upload.";

    /// <summary>The upload with its live send progress, if <paramref name="user"/> may see it; otherwise null, as if it did not exist.</summary>
    public async Task<UploadEntry?> FindAsync(Guid uploadId, PortalUser user, CancellationToken cancellationToken = default)
    {
        var entry = await search.FindAsync(uploadId, cancellationToken);
        return entry is not null && UploadAccess.CanSee(user, entry.Upload) ? entry : null;
    }

    /// <summary>The uploader's first send, of the original or of the clean package: queued for the send worker.</summary>
    public async Task<UploadActionResult> SendAsync(Guid uploadId, string variant, PortalUser user, CancellationToken cancellationToken = default)
    {
        var entry = await FindAsync(uploadId, user, cancellationToken);
        if (entry is null || !UploadAccess.CanSend(user, entry.Upload))
        {
            return new UploadActionResult(false, NoSuchUpload);
        }

        return await QueueAsync(entry, variant, user, (v, sha, size, accounts) => new SendConfirmed(v, sha, size, accounts), cancellationToken);
    }

    /// <summary>A deliberate new attempt after a failed, interrupted or cancelled send, by the uploader or an auditor, from the staged file.</summary>
    public async Task<UploadActionResult> RetryAsync(Guid uploadId, PortalUser user, CancellationToken cancellationToken = default)
    {
        var entry = await FindAsync(uploadId, user, cancellationToken);
        if (entry is null || !UploadAccess.CanRetryOrCancel(user, entry.Upload))
        {
            return new UploadActionResult(false, NoSuchUpload);
        }

        var variant = entry.State.SentVariant ?? SendVariant.Original;
        return await QueueAsync(entry, variant, user, (v, sha, size, accounts) => new SendRetried(v, sha, size, accounts), cancellationToken);
    }

    /// <summary>Stops a queued send at once, or asks the worker of a running one to stop.</summary>
    public async Task<UploadActionResult> CancelAsync(Guid uploadId, PortalUser user, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        var entry = await FindAsync(uploadId, user, cancellationToken);
        if (entry is null || !UploadAccess.CanRetryOrCancel(user, entry.Upload))
        {
            return new UploadActionResult(false, NoSuchUpload);
        }

        var result = await store.WriteAsync(uploadId, async writer =>
        {
            if (await SendJobs.RemoveQueuedAsync(writer, uploadId))
            {
                await UploadStore.RecordAsync(writer, uploadId, user.Actor, new SendCancelled(0, MayHaveArrived: false));
                return new UploadActionResult(true, "Cancelled before it was sent: nothing reached Tencent.");
            }

            if (await SendJobs.RequestCancelAsync(writer, uploadId, user.Actor))
            {
                await writer.AppendAsync(user.Actor, new CancelRequested(), uploadId);
                return new UploadActionResult(true, "Stopping the send…");
            }

            return new UploadActionResult(false, "There is no send to cancel: it has already ended.");
        }, cancellationToken);
        if (result.Done)
        {
            signals.RequestCancel(uploadId, user.Actor);
        }

        return result;
    }

    /// <summary>The validator's full problem report, for the uploader and auditors.</summary>
    public async Task<StagedDownload?> ProblemReportAsync(Guid uploadId, PortalUser user, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        var entry = await FindAsync(uploadId, user, cancellationToken);
        var path = staging.ProblemReportPathOf(uploadId);
        if (entry is null || !File.Exists(path))
        {
            return null;
        }

        await trail.AppendAsync(user.Actor, new ProblemReportDownloaded(), uploadId, cancellationToken);
        return new StagedDownload(path, $"{Path.GetFileNameWithoutExtension(entry.Upload.FileName)}.problems.csv", "text/csv; charset=utf-8");
    }

    /// <summary>
    /// Exactly the bytes that went to Tencent last, for auditors, while the staged files are kept. Which package that was
    /// is read from the upload's chained events, not from its state row.
    /// </summary>
    public async Task<StagedDownload?> SentFileAsync(Guid uploadId, PortalUser user, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        var entry = UploadAccess.CanDownloadSentFile(user) ? await FindAsync(uploadId, user, cancellationToken) : null;
        var events = entry is null ? [] : await search.EventsOfAsync(uploadId, cancellationToken);
        if (entry is null || events.Any(e => e.Parsed is StagedFilePurged)
            || events.Select(e => e.Parsed).OfType<SendRequest>().LastOrDefault() is not { } sent)
        {
            return null;
        }

        var package = StagedPackage.Of(entry.Upload, sent.Variant, staging);
        if (package is null || !File.Exists(package.Path))
        {
            return null;
        }

        await trail.AppendAsync(user.Actor, new SentFileDownloaded(sent.Variant), uploadId, cancellationToken);
        return new StagedDownload(package.Path, package.FileName, "application/octet-stream");
    }

    private async Task<UploadActionResult> QueueAsync(UploadEntry entry, string variant, PortalUser user,
        Func<string, string, long, long, SendRequest> request, CancellationToken cancellationToken)
    {
        var upload = entry.Upload;
        var package = StagedPackage.Of(upload, variant, staging);
        if (package is null)
        {
            return new UploadActionResult(false, variant == SendVariant.Original
                ? "The original file has problems Tencent would reject; send the clean package instead."
                : "There is no clean package for this upload.");
        }

        if (tencentOptions.Value.FindApp(upload.TencentApp) is null)
        {
            return new UploadActionResult(false, $"The Tencent app '{upload.TencentApp}' is no longer configured.");
        }

        if (entry.State.StagedPurged || !File.Exists(package.Path))
        {
            return new UploadActionResult(false, "The staged file has been removed after its retention period; upload the file again.");
        }

        var queued = await store.WriteAsync(upload.Id, async writer =>
        {
            var send = request(variant, package.Sha256, package.Size, package.Accounts);
            var state = await UploadStore.RecordAsync(writer, upload.Id, user.Actor, send);
            if (state is not null)
            {
                await SendJobs.EnqueueAsync(writer, upload.Id, state.Attempts + 1, send, upload.TencentApp, user.Actor);
            }

            return state is not null;
        }, cancellationToken);
        if (!queued)
        {
            return new UploadActionResult(false, "This upload cannot be sent now: it is already queued, being sent or sent, or it was rejected.");
        }

        signals.QueueChanged();
        return new UploadActionResult(true, "Queued for sending to Tencent.");
    }
}

/// <summary>One of an upload's two packages on disk, with the facts the validator recorded for it.</summary>
public sealed record StagedPackage(string Path, string FileName, string Sha256, long Size, long Accounts)
{
    /// <summary>The original (only when Tencent would take it as it is) or the clean package; null when there is no such package.</summary>
    public static StagedPackage? Of(UploadRecord upload, string variant, StagingStore staging)
    {
        ArgumentNullException.ThrowIfNull(upload);
        ArgumentNullException.ThrowIfNull(staging);
        return variant switch
        {
            SendVariant.Original when upload.OriginalSendable =>
                new StagedPackage(staging.PathOf(upload.Id), upload.FileName, upload.Sha256, upload.FileSize, upload.ValidCount - upload.DuplicateCount),
            SendVariant.Clean when upload is { CleanFileName: not null, CleanSha256: not null, CleanSize: not null } =>
                new StagedPackage(staging.CleanPathOf(upload.Id), upload.CleanFileName, upload.CleanSha256, upload.CleanSize.Value, upload.CleanAccountCount ?? 0),
            _ => null,
        };
    }
}
