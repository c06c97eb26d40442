namespace Portal.Audit;

/// <summary>What can happen, as recorded in <c>audit_events.kind</c>.</summary>
public static class AuditEventKinds
{
    // An upload's life. Each of these becomes the upload's status.
    public const string Received = "received";
    public const string Validated = "validated";
    public const string Rejected = "rejected";
    public const string Confirmed = "confirmed";
    public const string Retried = "retried";
    public const string Sending = "sending";
    public const string Sent = "sent";
    public const string Failed = "failed";
    public const string Interrupted = "interrupted";

    // Things done to or about an upload that do not change its status.
    public const string ProblemReportDownloaded = "problem-report-downloaded";
    public const string SentFileDownloaded = "sent-file-downloaded";
    public const string StagedFilePurged = "staged-file-purged";

    // Things done to the trail itself, or by people.
    public const string AuditExported = "audit-exported";
    public const string IntegrityVerified = "integrity-verified";
    public const string SignedIn = "signed-in";
    public const string SignedOut = "signed-out";

    /// <summary>Kinds that set an upload's status, in the order they can happen.</summary>
    public static readonly IReadOnlyList<string> Statuses = [Received, Validated, Rejected, Confirmed, Retried, Sending, Sent, Failed, Interrupted];

    public static bool SetsStatus(string kind) => Statuses.Contains(kind);

    /// <summary>Statuses from which a send may be retried from the staged file.</summary>
    public static readonly IReadOnlyList<string> Retryable = [Failed, Interrupted];
}
