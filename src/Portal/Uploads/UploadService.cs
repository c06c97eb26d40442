using Microsoft.Extensions.Options;
using Portal.Audit;
using Portal.Auth;
using Portal.Tencent;

namespace Portal.Uploads;

/// <summary>What came of asking for something to be done with an upload, in words for the person who asked.</summary>
public sealed record UploadActionResult(bool Done, string Message);

/// <summary>Why a keyed send was not queued.</summary>
public enum SendRefusal
{
    NotFound,
    KeyReused,
    AlreadySent,
    InProgress,
    NothingToSend,
    PackageUnavailable,
}

/// <summary>
/// What came of a send under an idempotency key: its <paramref name="Ticket"/> (queued now, or <paramref name="Replayed"/>
/// from the key's first request), or why not (<paramref name="Refusal"/>, with the upload's <paramref name="State"/> when it has one).
/// </summary>
public sealed record KeyedSendResult(SendTicket? Ticket, bool Replayed, SendRefusal? Refusal, string Message, UploadState? State)
{
    public static KeyedSendResult Refused(SendRefusal refusal, string message, UploadState? state = null) => new(null, false, refusal, message, state);
}

/// <summary>What came of checking a staged file again: the new receipt, or why it was not checked.</summary>
public sealed record RecheckResult(UploadReceipt? Receipt, string? Refusal)
{
    public static RecheckResult Refused(string why) => new(null, why);
}

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
    private static string NoSuchUpload => UploadWords.Get("NoSuchUpload");

    private static string RecheckTooLate => UploadWords.Get("RecheckTooLate");

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
                return new UploadActionResult(true, UploadWords.Get("CancelledBeforeSent"));
            }

            if (await SendJobs.RequestCancelAsync(writer, uploadId, user.Actor))
            {
                await writer.AppendAsync(user.Actor, new CancelRequested(), uploadId);
                return new UploadActionResult(true, UploadWords.Get("StoppingSend"));
            }

            return new UploadActionResult(false, UploadWords.Get("NoSendToCancel"));
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

        var package = StagedPackage.Of(entry.State.Checked(entry.Upload), sent.Variant, staging);
        if (package is null || !File.Exists(package.Path))
        {
            return null;
        }

        await trail.AppendAsync(user.Actor, new SentFileDownloaded(sent.Variant), uploadId, cancellationToken);
        return new StagedDownload(package.Path, package.FileName, "application/octet-stream");
    }

    /// <summary>
    /// A send asked for under an idempotency key (the API's): the first request with <paramref name="key"/> queues the send
    /// (the first, or a deliberate new attempt after a failed, interrupted or cancelled one) and is remembered; the same
    /// caller's same key again is given the same ticket and never queues a second send, also when both arrive at once
    /// (the key is read and written in the transaction that queues the send). A new key for an upload whose send is under
    /// way or done is refused.
    /// </summary>
    public async Task<KeyedSendResult> SendOnceAsync(Guid uploadId, string variant, string key, PortalUser user, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        var entry = await FindAsync(uploadId, user, cancellationToken);
        if (entry is null || !UploadAccess.CanSend(user, entry.Upload))
        {
            return KeyedSendResult.Refused(SendRefusal.NotFound, NoSuchUpload);
        }

        var upload = entry.Upload;
        var result = await store.WriteAsync(uploadId, async writer =>
        {
            if (await SendKeys.FindAsync(writer, user.Id, key) is { } earlier)
            {
                return earlier.UploadId == uploadId && earlier.Package == variant
                    ? new KeyedSendResult(earlier, Replayed: true, null, "Already queued under this Idempotency-Key: nothing was sent again.", null)
                    : KeyedSendResult.Refused(SendRefusal.KeyReused,
                        $"This Idempotency-Key was used for a send of {(earlier.UploadId == uploadId ? "the other package of this upload" : $"upload {earlier.UploadId}")}; use a new key for a new send.");
            }

            var state = (await UploadStore.StateAsync(writer, uploadId))!;
            if (RefusalFor(state) is { } refused)
            {
                return refused;
            }

            if (Unsendable(upload, variant, state, out var package) is { } why)
            {
                return KeyedSendResult.Refused(SendRefusal.PackageUnavailable, why, state);
            }

            SendRequest send = state.Status == UploadStatus.Validated
                ? new SendConfirmed(variant, package!.Sha256, package.Size, package.Accounts)
                : new SendRetried(variant, package!.Sha256, package.Size, package.Accounts);
            var queued = (await RecordAndEnqueueAsync(writer, upload, user.Actor, send))!;
            var ticket = new SendTicket { UploadId = uploadId, Package = variant, Attempt = queued.Attempts + 1, QueuedAt = writer.Now };
            await SendKeys.SaveAsync(writer, user.Id, key, ticket);
            return new KeyedSendResult(ticket, Replayed: false, null, "Queued for sending to Tencent.", queued);
        }, cancellationToken);
        if (result.Ticket is not null && !result.Replayed)
        {
            signals.QueueChanged();
        }

        return result;
    }

    /// <summary>
    /// Checks the staged original again with other <paramref name="options"/> (row 1 is a header, the account column of a
    /// CRM export, values in scientific notation kept) without the file being uploaded again: the new clean package and
    /// problem report replace the earlier ones, and the new verdict is recorded as <see cref="UploadRechecked"/>, in the
    /// transaction that moves the files into place. Only before any send was asked for, by whoever may send it.
    /// </summary>
    public async Task<RecheckResult> RecheckAsync(Guid uploadId, RecheckOptions options, PortalUser user, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(user);
        var entry = await FindAsync(uploadId, user, cancellationToken);
        if (entry is null || !UploadAccess.CanSend(user, entry.Upload))
        {
            return RecheckResult.Refused(NoSuchUpload);
        }

        if (!UploadLifecycle.CanRecheck(entry.State.Status))
        {
            return RecheckResult.Refused(RecheckTooLate);
        }

        var upload = entry.Upload;
        var original = staging.PathOf(uploadId);
        if (entry.State.StagedPurged || !File.Exists(original))
        {
            return RecheckResult.Refused(UploadWords.Get("StagedFileRemoved"));
        }

        var outputs = staging.RecheckOutputsOf(uploadId);
        try
        {
            var started = System.Diagnostics.Stopwatch.StartNew();
            // The validator reads synchronously: a thread of its own, not the pool's.
            var report = await Task.Factory.StartNew(() => Packages.PackageValidator.Validate(options.For(upload), original, outputs, cancellationToken),
                cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);
            var clean = report.CleanPackage;
            var rechecked = new UploadRechecked(options.HeaderRow, options.AccountColumn, options.KeepScientificNotation, report.Summary, started.ElapsedMilliseconds,
                report.OriginalSendable, report.ValidCount, report.DuplicateCount, clean?.FileName, clean?.Size, clean?.Sha256, clean?.AccountCount,
                report.InvalidCount, report.BlankRowCount);
            var recorded = await store.WriteAsync(uploadId, async writer =>
            {
                var state = await UploadStore.RecordAsync(writer, uploadId, user.Actor, rechecked);
                if (state is not null)
                {
                    // Last in the transaction: the files change only with the event that says so.
                    staging.Replace(uploadId, outputs);
                }

                return state is not null;
            }, cancellationToken);
            return recorded
                ? new RecheckResult(new UploadReceipt(uploadId, upload.FileName, upload.FileSize, upload.Sha256, report), null)
                : RecheckResult.Refused(RecheckTooLate);
        }
        finally
        {
            File.Delete(outputs.CleanPackagePath);
            File.Delete(outputs.ProblemReportPath);
        }
    }

    /// <summary>Why an upload in <paramref name="state"/> takes no new send; null when it can be sent (again).</summary>
    private static KeyedSendResult? RefusalFor(UploadState state) => state.Status switch
    {
        UploadStatus.Validated or UploadStatus.Failed or UploadStatus.Interrupted or UploadStatus.Cancelled => null,
        UploadStatus.Sent => KeyedSendResult.Refused(SendRefusal.AlreadySent,
            $"This upload was already sent: Tencent's uploadId is {state.TencentUploadId}. Nothing was sent again.", state),
        UploadStatus.Queued or UploadStatus.Sending => KeyedSendResult.Refused(SendRefusal.InProgress,
            $"A send of this upload is already {state.Status.Text()}; nothing more was queued.", state),
        _ => KeyedSendResult.Refused(SendRefusal.NothingToSend, "This upload was rejected: nothing in it can be sent. Fix the file and upload it again.", state),
    };

    private async Task<UploadActionResult> QueueAsync(UploadEntry entry, string variant, PortalUser user,
        Func<string, string, long, long, SendRequest> request, CancellationToken cancellationToken)
    {
        var upload = entry.Upload;
        if (Unsendable(upload, variant, entry.State, out var package) is { } why)
        {
            return new UploadActionResult(false, why);
        }

        var queued = await store.WriteAsync(upload.Id, async writer =>
        {
            // A re-check since the upload was read made another package: the send is asked for again with what is shown now.
            if (await UploadStore.StateAsync(writer, upload.Id) is not { } current || StagedPackage.Of(current.Checked(upload), variant, staging)?.Sha256 != package!.Sha256)
            {
                return false;
            }

            var send = request(variant, package.Sha256, package.Size, package.Accounts);
            return await RecordAndEnqueueAsync(writer, upload, user.Actor, send) is not null;
        }, cancellationToken);
        if (!queued)
        {
            return new UploadActionResult(false, UploadWords.Get("CannotSendNow"));
        }

        signals.QueueChanged();
        return new UploadActionResult(true, UploadWords.Get("QueuedForSending"));
    }

    /// <summary>Records the send request and queues it for the worker, if the upload's life allows it now; null when it does not.</summary>
    private static async Task<UploadState?> RecordAndEnqueueAsync(AuditWriter writer, UploadRecord upload, AuditActor actor, SendRequest send)
    {
        var state = await UploadStore.RecordAsync(writer, upload.Id, actor, send);
        if (state is not null)
        {
            await SendJobs.EnqueueAsync(writer, upload.Id, state.Attempts + 1, send, upload.TencentApp, actor);
        }

        return state;
    }

    /// <summary>Why <paramref name="variant"/> of the upload cannot be sent, in words for the person who asked; null (and the package) when it can.</summary>
    private string? Unsendable(UploadRecord upload, string variant, UploadState state, out StagedPackage? package)
    {
        package = StagedPackage.Of(state.Checked(upload), variant, staging);
        if (package is null)
        {
            return variant == SendVariant.Original
                ? UploadWords.Get("OriginalNotSendable")
                : UploadWords.Get("NoCleanPackage");
        }

        if (tencentOptions.Value.FindApp(upload.TencentApp) is null)
        {
            return UploadWords.Get("AppNoLongerConfigured", upload.TencentApp);
        }

        return state.StagedPurged || !File.Exists(package.Path)
            ? UploadWords.Get("StagedFileRemoved")
            : null;
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
