using Microsoft.Extensions.Options;
using Portal.Audit;
using Portal.Auth;
using Portal.Tencent;

namespace Portal.Uploads;

/// <summary>The result of asking the portal to send an accepted package to Tencent.</summary>
public sealed record SendOutcome(bool Succeeded, long? TencentUploadId, string Message);

/// <summary>
/// Sends an accepted, staged package to Tencent, recording "sending" before the call and "sent" or "failed" after it,
/// so the audit trail says what happened even when Tencent or the portal fails half-way.
/// </summary>
public sealed partial class UploadService(
    AuditStore audit,
    StagingStore staging,
    TencentPushClient tencent,
    IOptions<TencentOptions> tencentOptions,
    TimeProvider clock,
    ILogger<UploadService> logger)
{
    public async Task<SendOutcome> SendAsync(Guid uploadId, PortalUser user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        var upload = await audit.FindAsync(uploadId, cancellationToken);
        // Someone else's upload is answered exactly like a missing one: ids reveal nothing.
        if (upload is null || upload.UserId != user.Id)
        {
            return new SendOutcome(false, null, "There is no such upload.");
        }

        var app = tencentOptions.Value.FindApp(upload.TencentApp);
        if (app is null)
        {
            return new SendOutcome(false, null, $"The Tencent app '{upload.TencentApp}' is no longer configured.");
        }

        if (!await audit.TryAppendEventAsync(Event(uploadId, UploadEventKind.Sending, user), UploadEventKind.Accepted, cancellationToken))
        {
            return new SendOutcome(false, null, upload.Status == UploadEventKind.Rejected
                ? "This package was rejected by validation and cannot be sent."
                : "This package has already been sent or is being sent.");
        }

        TencentUploadResult result;
        try
        {
            result = await tencent.UploadPackageAsync(app, staging.PathOf(uploadId), upload.FileName, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            result = TencentUploadResult.Failure("Interrupted: the page was closed before Tencent answered. The package may or may not have arrived.");
        }
        catch (IOException exception)
        {
            result = TencentUploadResult.Failure($"The staged package could not be read: {exception.Message}");
        }

        var outcome = result.Succeeded
            ? Event(uploadId, UploadEventKind.Sent, user) with { TencentUploadId = result.UploadId, RetCode = result.RetCode, HttpStatus = result.HttpStatus }
            : Event(uploadId, UploadEventKind.Failed, user) with { RetCode = result.RetCode, HttpStatus = result.HttpStatus, Message = result.FailureMessage };
        // Recorded even when the user has gone: the trail must say how the call ended.
        await audit.TryAppendEventAsync(outcome, UploadEventKind.Sending, CancellationToken.None);
        LogSendFinished(logger, uploadId, upload.TencentApp, result.Succeeded, result.UploadId, result.RetCode);

        return result.Succeeded
            ? new SendOutcome(true, result.UploadId, $"Tencent accepted the package: uploadId {result.UploadId}.")
            : new SendOutcome(false, null, result.FailureMessage!);
    }

    private NewUploadEvent Event(Guid uploadId, string kind, PortalUser user) =>
        new(uploadId, clock.GetUtcNow().UtcDateTime, kind, user.Id);

    [LoggerMessage(Level = LogLevel.Information, Message = "Upload {UploadId} to Tencent app {App} finished: succeeded={Succeeded} uploadId={TencentUploadId} retCode={RetCode}")]
    private static partial void LogSendFinished(ILogger logger, Guid uploadId, string app, bool succeeded, long? tencentUploadId, int? retCode);
}
