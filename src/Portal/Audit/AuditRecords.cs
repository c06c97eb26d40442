namespace Portal.Audit;

/// <summary>Who did something, as the identity provider named them.</summary>
public sealed record AuditActor(string Id, string Name)
{
    /// <summary>The portal itself (start-up recovery, retention purge).</summary>
    public static readonly AuditActor System = new("system", "Portal");
}

/// <summary>Details of "confirmed" and "retried": which package the user chose to send.</summary>
public sealed record SendChoice(string Variant, string Sha256, long Size, long Accounts)
{
    public const string Original = "original";
    public const string Clean = "clean";
}

/// <summary>Details of "sent", "failed" and "interrupted": what Tencent answered, or why there was no answer.</summary>
public sealed record SendOutcomeDetails(long? TencentUploadId, int? RetCode, string? ErrMsg, int? HttpStatus, string? Message, long DurationMs, bool MayHaveArrived);

/// <summary>The facts of a received and validated package, written once.</summary>
public sealed record UploadRecord
{
    public required Guid Id { get; init; }
    public required DateTime ReceivedAt { get; init; }
    public required string UserId { get; init; }
    public required string UserName { get; init; }
    public string? UserEmail { get; init; }
    public required string UserIssuer { get; init; }
    public string? ClientIp { get; init; }
    public string? UserAgent { get; init; }
    public required string TencentApp { get; init; }
    public required string TencentRegion { get; init; }
    public required string PackageKind { get; init; }
    public required string FileName { get; init; }
    public required long FileSize { get; init; }
    public required string Sha256 { get; init; }
    public required long RowCount { get; init; }
    public required long ValidCount { get; init; }
    public required long InvalidCount { get; init; }
    public required long DuplicateCount { get; init; }
    public required bool OriginalSendable { get; init; }
    public string? CleanFileName { get; init; }
    public long? CleanSize { get; init; }
    public string? CleanSha256 { get; init; }
    public long? CleanAccountCount { get; init; }
    public required string ValidationSummary { get; init; }
    public required long ValidationMs { get; init; }

    public bool Accepted => OriginalSendable || CleanSha256 is not null;
}

/// <summary>Where an upload stands, derived from its events (<c>upload_state</c>).</summary>
public sealed record UploadState
{
    public string Status { get; init; } = "";
    public int Attempts { get; init; }
    public string? SentVariant { get; init; }
    public string? SentSha256 { get; init; }
    public long? SentSize { get; init; }
    public long? SentAccounts { get; init; }
    public long? TencentUploadId { get; init; }
    public int? RetCode { get; init; }
    public int? HttpStatus { get; init; }
    public string? Message { get; init; }
    public long? SendMs { get; init; }
    public bool StagedPurged { get; init; }
}

/// <summary>One line of the audit log: the upload and where it stands.</summary>
public sealed record AuditEntry(UploadRecord Upload, UploadState State);

/// <summary>One recorded event, as stored.</summary>
public sealed record AuditEvent
{
    public long Seq { get; init; }
    public DateTime OccurredAt { get; init; }
    public string Kind { get; init; } = "";
    public string ActorId { get; init; } = "";
    public string ActorName { get; init; } = "";
    public Guid? UploadId { get; init; }
    public string Data { get; init; } = "{}";
    public string Chain { get; init; } = "";
}

public sealed record AuditPage(IReadOnlyList<AuditEntry> Items, int TotalCount);

/// <summary>Columns the audit log can be sorted by.</summary>
public enum AuditSort
{
    ReceivedAt,
    FileName,
    FileSize,
    UserName,
    TencentApp,
}

/// <summary>What an auditor (or an uploader, for their own uploads) is looking for. Empty fields do not filter.</summary>
public sealed record AuditFilter
{
    /// <summary>Email or OIDC subject of the uploader.</summary>
    public string? User { get; init; }
    public DateTime? FromUtc { get; init; }
    public DateTime? ToUtc { get; init; }
    public string? TencentApp { get; init; }
    public string? Status { get; init; }
    public string? PackageKind { get; init; }
    public long? TencentUploadId { get; init; }
    /// <summary>Start of the file name, any letter case.</summary>
    public string? FileName { get; init; }
    /// <summary>Start of the SHA-256 of the original or the clean package.</summary>
    public string? Sha256 { get; init; }

    /// <summary>Set by the server for "My uploads", never from the page.</summary>
    public string? OwnerId { get; init; }

    public override string ToString() => string.Join(", ", new (string Name, object? Value)[]
        {
            ("user", User), ("from", FromUtc?.ToString("O", System.Globalization.CultureInfo.InvariantCulture)),
            ("to", ToUtc?.ToString("O", System.Globalization.CultureInfo.InvariantCulture)), ("app", TencentApp), ("status", Status),
            ("kind", PackageKind), ("uploadId", TencentUploadId), ("fileName", FileName), ("sha256", Sha256), ("owner", OwnerId),
        }
        .Where(f => f.Value is not null && f.Value is not "")
        .Select(f => $"{f.Name}={f.Value}"));
}

/// <summary>Per-day figures for the auditors' dashboard.</summary>
public sealed record DailyActivity(DateOnly Day, int Uploads, long AccountsSent, int Failures);

/// <summary>The outcome of walking the whole chain.</summary>
public sealed record IntegrityReport(bool Intact, long EventsChecked, long UploadsChecked, string? FirstProblem, long? LastSeq, string? LastChain)
{
    public string Describe() => Intact
        ? $"Intact: {EventsChecked:N0} events and {UploadsChecked:N0} uploads checked; last event #{LastSeq} ends the chain with {LastChain?[..16]}…"
        : $"Broken: {FirstProblem}";
}
