namespace Portal.Audit;

/// <summary>Configuration section <c>Audit</c>.</summary>
public sealed class AuditOptions
{
    public const string SectionName = "Audit";

    /// <summary>
    /// Base64 key (at least 32 bytes) for the HMAC chain over the audit events; from a secret store, never the database.
    /// When empty outside Production, a key is generated once and kept with the data-protection keys.
    /// </summary>
    public string ChainKey { get; set; } = "";

    /// <summary>How long staged packages are kept for retries and downloads; the record and its hashes stay for good.</summary>
    public TimeSpan StagedFileRetention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How often the retention purge runs.</summary>
    public TimeSpan PurgeInterval { get; set; } = TimeSpan.FromHours(1);
}
