using System.Text.Json;
using Portal.Packages;

namespace Portal.Api;

/// <summary>
/// <c>201</c> to <c>POST /api/v1/uploads</c>: the package is staged and checked. <paramref name="Report"/> is the report the
/// upload page shows; <paramref name="Sendable"/>: the original as it is or the clean package can be sent.
/// </summary>
public sealed record UploadCreated(Guid Id, string Url, string FileName, long Size, string Sha256, bool Sendable, ValidationReport Report);

/// <summary>
/// One upload as <c>GET /api/v1/uploads/{id}</c> and the auditors' list show it. <paramref name="Status"/> is one of
/// received, validated, rejected, queued, sending, sent, failed, cancelled, interrupted. <paramref name="UploadId"/> is
/// Tencent's id, once sent.
/// </summary>
public sealed record UploadView(
    Guid Id,
    string Url,
    string FileName,
    string App,
    string Kind,
    long Size,
    string Sha256,
    DateTime ReceivedAt,
    ActorView Uploader,
    string Status,
    DateTime StatusAt,
    long? UploadId,
    ReportSummary Report,
    SendView? Send);

/// <summary>Who did something: a person or a service account, as the identity provider named them.</summary>
public sealed record ActorView(string Id, string Name);

/// <summary>The counts and verdict of an upload's validation; the full list of problems is at <c>…/problems</c> (CSV).</summary>
public sealed record ReportSummary(
    string Summary,
    long Rows,
    long Valid,
    long Invalid,
    long Duplicates,
    long? Blank,
    bool OriginalSendable,
    CleanPackageView? CleanPackage);

public sealed record CleanPackageView(string FileName, long Size, string Sha256, long Accounts);

/// <summary>
/// The upload's last send: which package, how many attempts, Tencent's answer (<paramref name="RetCode"/>,
/// <paramref name="Message"/>) or why there was none, and, while queued or running, its <paramref name="Progress"/>.
/// </summary>
public sealed record SendView(
    string Package,
    int Attempts,
    int? RetCode,
    int? HttpStatus,
    string? Message,
    bool MayHaveArrived,
    SendProgressView? Progress);

/// <summary>A queued or running send as its worker last reported it (a second or so behind).</summary>
public sealed record SendProgressView(
    bool Running,
    int? QueuePosition,
    long BytesSent,
    long BytesTotal,
    double Fraction,
    double? BytesPerSecond,
    double? SecondsLeft,
    string? CancelRequestedBy);

/// <summary><c>POST /api/v1/uploads/{id}/send</c>: which package to send, <see cref="Original"/> or <see cref="Clean"/>.</summary>
public sealed record SendBody(string? Package)
{
    public const string Original = "original";
    public const string Clean = "clean";
}

/// <summary><c>202</c> to a send: queued as <paramref name="Attempt"/> of the upload, at <paramref name="QueuedAt"/>. Repeated as it was for the same Idempotency-Key.</summary>
public sealed record SendAccepted(Guid Id, string Url, string Package, int Attempt, DateTime QueuedAt);

/// <summary>A page of a list; <paramref name="Next"/> is the URL of the next page, null on the last.</summary>
public sealed record ApiPage<T>(IReadOnlyList<T> Items, string? Next);

/// <summary>One event of the audit trail, as recorded: <paramref name="Upload"/> is the portal's upload it concerns, if any.</summary>
public sealed record EventView(long Seq, DateTime OccurredAt, string Kind, ActorView Actor, Guid? Upload, JsonElement Data);
