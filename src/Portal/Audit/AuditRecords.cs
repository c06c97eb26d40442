namespace Portal.Audit;

/// <summary>The states an upload passes through; each is an event in the append-only trail.</summary>
public static class UploadEventKind
{
    public const string Accepted = "accepted";
    public const string Rejected = "rejected";
    public const string Sending = "sending";
    public const string Sent = "sent";
    public const string Failed = "failed";
}

/// <summary>The facts of a received package, written once.</summary>
public sealed record NewUpload(
    Guid Id,
    DateTime ReceivedAt,
    string UserId,
    string UserName,
    string? UserEmail,
    string TencentApp,
    string FileName,
    long FileSize,
    string Sha256,
    long RowCount,
    bool Accepted,
    string ValidationSummary);

/// <summary>One step in an upload's life.</summary>
public sealed record NewUploadEvent(
    Guid UploadId,
    DateTime OccurredAt,
    string Kind,
    string ActorId,
    long? TencentUploadId = null,
    int? RetCode = null,
    int? HttpStatus = null,
    string? Message = null);

/// <summary>One line of the audit log: the upload and its newest event.</summary>
public sealed record AuditEntry
{
    public Guid Id { get; init; }
    public DateTime ReceivedAt { get; init; }
    public string UserId { get; init; } = "";
    public string UserName { get; init; } = "";
    public string? UserEmail { get; init; }
    public string TencentApp { get; init; } = "";
    public string FileName { get; init; } = "";
    public long FileSize { get; init; }
    public string Sha256 { get; init; } = "";
    public long RowCount { get; init; }
    public string ValidationSummary { get; init; } = "";
    public string Status { get; init; } = "";
    public long? TencentUploadId { get; init; }
    public int? RetCode { get; init; }
    public int? HttpStatus { get; init; }
    public string? Message { get; init; }
}

public sealed record AuditPage(IReadOnlyList<AuditEntry> Items, int TotalCount);
