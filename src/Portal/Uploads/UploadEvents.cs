using Portal.Audit;

namespace Portal.Uploads;

/// <summary>
/// An event in an upload's life. Each one moves the upload through <see cref="UploadLifecycle"/> and changes its
/// <see cref="UploadState"/>; they are recorded only through <see cref="UploadStore"/>, which keeps the two in step.
/// </summary>
public abstract record UploadEvent : AuditEventData;

/// <summary>The package was staged; <c>Fingerprint</c> covers the upload's row (<see cref="UploadRecord.Fingerprint"/>).</summary>
[AuditKind("received")]
public sealed record UploadReceived(string Fingerprint) : UploadEvent;

/// <summary>Something can be sent: the original as it is, or its clean package.</summary>
[AuditKind("validated")]
public sealed record UploadValidated(string Summary, long ValidationMs) : UploadEvent;

/// <summary>Nothing in the package can be sent.</summary>
[AuditKind("rejected")]
public sealed record UploadRejected(string Summary, long ValidationMs) : UploadEvent;

/// <summary>
/// The uploader had the staged original checked again with other choices (<see cref="RecheckOptions"/>) before any send:
/// this verdict and clean package replace the earlier ones (see <see cref="UploadState.Checked"/>).
/// </summary>
[AuditKind("rechecked")]
public sealed record UploadRechecked(
    bool HeaderRow, int? AccountColumn, bool KeepScientificNotation, string Summary, long ValidationMs, bool OriginalSendable, long ValidCount,
    long DuplicateCount, string? CleanFileName, long? CleanSize, string? CleanSha256, long? CleanAccountCount,
    long InvalidCount, long BlankRowCount) : UploadEvent
{
    /// <summary>Something can be sent: the original as it is, or the new clean package.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool Accepted => OriginalSendable || CleanSha256 is not null;

    [System.Text.Json.Serialization.JsonIgnore]
    public RecheckOptions Options => new(HeaderRow, AccountColumn, KeepScientificNotation);
}

/// <summary>Which package someone asked to send: <see cref="SendVariant.Original"/> or <see cref="SendVariant.Clean"/>, with its facts.</summary>
public abstract record SendRequest(string Variant, string Sha256, long Size, long Accounts) : UploadEvent;

/// <summary>The uploader's first send: the package is queued for the send worker.</summary>
[AuditKind("confirmed")]
public sealed record SendConfirmed(string Variant, string Sha256, long Size, long Accounts) : SendRequest(Variant, Sha256, Size, Accounts);

/// <summary>A deliberate new attempt after a failed, interrupted or cancelled send, by the uploader or an auditor.</summary>
[AuditKind("retried")]
public sealed record SendRetried(string Variant, string Sha256, long Size, long Accounts) : SendRequest(Variant, Sha256, Size, Accounts);

/// <summary>A send worker took the queued package and is sending it: from here it may reach Tencent.</summary>
[AuditKind("sending")]
public sealed record SendStarted(int Attempt, string? Worker = null) : UploadEvent;

/// <summary>How a send ended: Tencent's answer, or why there was none. <c>MayHaveArrived</c>: Tencent may hold it under an uploadId the portal never saw.</summary>
public abstract record SendOutcome(long? TencentUploadId, int? RetCode, string? ErrMsg, int? HttpStatus, string? Message, long DurationMs, bool MayHaveArrived)
    : UploadEvent;

[AuditKind("sent")]
public sealed record SendSucceeded(long? TencentUploadId, int? RetCode, string? ErrMsg, int? HttpStatus, string? Message, long DurationMs, bool MayHaveArrived)
    : SendOutcome(TencentUploadId, RetCode, ErrMsg, HttpStatus, Message, DurationMs, MayHaveArrived);

[AuditKind("failed")]
public sealed record SendFailed(long? TencentUploadId, int? RetCode, string? ErrMsg, int? HttpStatus, string? Message, long DurationMs, bool MayHaveArrived)
    : SendOutcome(TencentUploadId, RetCode, ErrMsg, HttpStatus, Message, DurationMs, MayHaveArrived);

/// <summary>The send stopped without an answer: the portal stopped, or the replica sending it stopped answering.</summary>
[AuditKind("interrupted")]
public sealed record SendInterrupted(long? TencentUploadId, int? RetCode, string? ErrMsg, int? HttpStatus, string? Message, long DurationMs, bool MayHaveArrived)
    : SendOutcome(TencentUploadId, RetCode, ErrMsg, HttpStatus, Message, DurationMs, MayHaveArrived);

/// <summary>Someone cancelled a queued or running send. Before any byte left it was certainly not sent; after, it may have arrived.</summary>
[AuditKind("cancelled")]
public sealed record SendCancelled(long BytesSent, bool MayHaveArrived) : UploadEvent;

/// <summary>The staged files went after the retention period; the record and its hashes stay.</summary>
[AuditKind("staged-file-purged")]
public sealed record StagedFilePurged(double RetentionDays) : UploadEvent;

/// <summary>Someone asked to cancel a running send; the worker sending it stops and records <see cref="SendCancelled"/>.</summary>
[AuditKind("cancel-requested")]
public sealed record CancelRequested : ActivityEvent;

[AuditKind("problem-report-downloaded")]
public sealed record ProblemReportDownloaded : ActivityEvent;

/// <summary>An auditor downloaded exactly the bytes that were sent.</summary>
[AuditKind("sent-file-downloaded")]
public sealed record SentFileDownloaded(string Variant) : ActivityEvent;

/// <summary>A transfer from the browser stopped before the whole file arrived; the partial file was removed and no upload exists.</summary>
[AuditKind("transfer-abandoned")]
public sealed record TransferAbandoned(string FileName, string TencentApp, long BytesReceived, string Reason) : ActivityEvent;

/// <summary>The two packages an upload can send.</summary>
public static class SendVariant
{
    public const string Original = "original";
    public const string Clean = "clean";
}
