using System.Diagnostics;
using Microsoft.Extensions.Options;
using Portal.Audit;
using Portal.Auth;
using Portal.Tencent;

namespace Portal.Uploads;

/// <summary>The result of asking the portal to send a package to Tencent.</summary>
public sealed record SendOutcome(bool Succeeded, long? TencentUploadId, string Message, bool CanRetry = false);

/// <summary>
/// Sends a validated, staged package to Tencent. "confirmed" (or "retried") and "sending" are recorded before the call,
/// "sent", "failed" or "interrupted" after it, so the trail says what happened even when Tencent or the portal fails
/// half-way, and a failed send can be retried from the staged file.
/// </summary>
public sealed partial class UploadService(
    AuditStore audit,
    AuditSearch search,
    StagingStore staging,
    TencentPushClient tencent,
    IOptions<TencentOptions> tencentOptions,
    ILogger<UploadService> logger)
{
    private static readonly string[] FirstSendFrom = [AuditEventKinds.Validated];

    /// <summary>The uploader's first send, of the original or of the clean package.</summary>
    public async Task<SendOutcome> SendAsync(Guid uploadId, string variant, PortalUser user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        var upload = await search.FindAsync(uploadId, cancellationToken);
        // Someone else's upload is answered exactly like a missing one: ids reveal nothing.
        if (upload is null || upload.Upload.UserId != user.Id)
        {
            return new SendOutcome(false, null, "There is no such upload.");
        }

        return await AttemptAsync(upload, variant, AuditEventKinds.Confirmed, FirstSendFrom, user, cancellationToken);
    }

    /// <summary>A deliberate new attempt after a failure, by the uploader or an auditor, from the staged file.</summary>
    public async Task<SendOutcome> RetryAsync(Guid uploadId, PortalUser user, bool isAuditor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        var upload = await search.FindAsync(uploadId, cancellationToken);
        if (upload is null || (upload.Upload.UserId != user.Id && !isAuditor))
        {
            return new SendOutcome(false, null, "There is no such upload.");
        }

        if (upload.State.StagedPurged)
        {
            return new SendOutcome(false, null, "The staged file has been removed after its retention period; upload the file again.");
        }

        var variant = upload.State.SentVariant ?? SendChoice.Original;
        return await AttemptAsync(upload, variant, AuditEventKinds.Retried, AuditEventKinds.Retryable, user, cancellationToken);
    }

    private async Task<SendOutcome> AttemptAsync(AuditEntry entry, string variant, string startKind, IReadOnlyCollection<string> allowedFrom,
        PortalUser user, CancellationToken cancellationToken)
    {
        var upload = entry.Upload;
        var package = PackageToSend(upload, variant);
        if (package is null)
        {
            return new SendOutcome(false, null, variant == SendChoice.Original
                ? "The original file has problems Tencent would reject; send the clean package instead."
                : "There is no clean package for this upload.");
        }

        var app = tencentOptions.Value.FindApp(upload.TencentApp);
        if (app is null)
        {
            return new SendOutcome(false, null, $"The Tencent app '{upload.TencentApp}' is no longer configured.");
        }

        var choice = new SendChoice(variant, package.Sha256, package.Size, package.Accounts);
        if (!await audit.TryAppendAsync(upload.Id, allowedFrom, user.Actor, [(startKind, choice), (AuditEventKinds.Sending, new { attempt = entry.State.Attempts + 1 })], cancellationToken))
        {
            return new SendOutcome(false, null, "This upload cannot be sent now: it has already been sent, is being sent, or was rejected.");
        }

        var stopwatch = Stopwatch.StartNew();
        TencentUploadResult result;
        var interrupted = false;
        try
        {
            result = await tencent.UploadPackageAsync(app, package.Path, package.FileName, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // The user left (the page's circuit closed) while the package was on its way.
            interrupted = true;
            result = TencentUploadResult.Failure("Interrupted: the page was closed before Tencent answered. The package may or may not have arrived.");
        }
        catch (IOException exception)
        {
            result = TencentUploadResult.Failure($"The staged package could not be read: {exception.Message}");
        }

        var outcomeKind = result.Succeeded ? AuditEventKinds.Sent : interrupted ? AuditEventKinds.Interrupted : AuditEventKinds.Failed;
        var details = new SendOutcomeDetails(result.UploadId, result.RetCode, result.ErrMsg, result.HttpStatus, result.FailureMessage,
            stopwatch.ElapsedMilliseconds, MayHaveArrived: result.Delivery == TencentDelivery.MayHaveArrived);
        // Recorded even when the user has gone: the trail must say how the call ended.
        await audit.TryAppendAsync(upload.Id, [AuditEventKinds.Sending], user.Actor, [(outcomeKind, details)], CancellationToken.None);
        LogSendFinished(logger, upload.Id, upload.TencentApp, outcomeKind, result.UploadId, result.RetCode, stopwatch.ElapsedMilliseconds);

        return result.Succeeded
            ? new SendOutcome(true, result.UploadId, $"Tencent accepted the package: uploadId {result.UploadId}.")
            : new SendOutcome(false, null, RetryAdvice(result), CanRetry: result.FailureKind is not (TencentFailureKind.Package or TencentFailureKind.Configuration));
    }

    /// <summary>The client's message, plus what a new attempt would mean for this failure.</summary>
    private static string RetryAdvice(TencentUploadResult result) => result.Delivery switch
    {
        TencentDelivery.MayHaveArrived => $"{result.FailureMessage} Tencent may already hold this package: check before sending it again, or you may get a second uploadId.",
        _ => result.FailureMessage!,
    };

    /// <summary>Marks sends that were under way when the portal stopped: nobody knows whether Tencent got them.</summary>
    public async Task RecoverInterruptedSendsAsync(CancellationToken cancellationToken)
    {
        var stuck = new List<Guid>();
        await foreach (var entry in search.StreamAsync(new AuditFilter { Status = AuditEventKinds.Sending }, cancellationToken))
        {
            stuck.Add(entry.Upload.Id);
        }

        foreach (var id in stuck)
        {
            var details = new SendOutcomeDetails(null, null, null, null,
                "Interrupted: the portal stopped while sending. The package may or may not have arrived at Tencent.", 0, MayHaveArrived: true);
            await audit.TryAppendAsync(id, [AuditEventKinds.Sending], AuditActor.System, [(AuditEventKinds.Interrupted, details)], cancellationToken);
            LogRecovered(logger, id);
        }
    }

    private StagedPackage? PackageToSend(UploadRecord upload, string variant) => variant switch
    {
        SendChoice.Original when upload.OriginalSendable =>
            new StagedPackage(staging.PathOf(upload.Id), upload.FileName, upload.Sha256, upload.FileSize, upload.ValidCount),
        SendChoice.Clean when upload is { CleanFileName: not null, CleanSha256: not null, CleanSize: not null } =>
            new StagedPackage(staging.CleanPathOf(upload.Id), upload.CleanFileName, upload.CleanSha256, upload.CleanSize.Value, upload.CleanAccountCount ?? 0),
        _ => null,
    };

    private sealed record StagedPackage(string Path, string FileName, string Sha256, long Size, long Accounts);

    [LoggerMessage(Level = LogLevel.Information, Message = "Upload {UploadId} to Tencent app {App} ended {Outcome}: uploadId={TencentUploadId} retCode={RetCode} in {Milliseconds} ms")]
    private static partial void LogSendFinished(ILogger logger, Guid uploadId, string app, string outcome, long? tencentUploadId, int? retCode, long milliseconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Upload {UploadId} was being sent when the portal stopped; recorded as interrupted")]
    private static partial void LogRecovered(ILogger logger, Guid uploadId);
}
