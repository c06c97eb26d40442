namespace Portal.Audit;

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

    /// <summary>The typed event; null for a kind this version does not know.</summary>
    public AuditEventData? Parsed => AuditEventData.Parse(Kind, Data);

    internal const string Columns = """
        seq AS Seq, occurred_at AS OccurredAt, kind AS Kind, actor_id AS ActorId, actor_name AS ActorName,
        upload_id AS UploadId, data AS Data, chain AS Chain
        """;
}

/// <summary>
/// A page of matches and how many there are; when <paramref name="TotalIsLowerBound"/>, there are more than
/// <paramref name="TotalCount"/> (matches are counted up to <see cref="AuditSearch.ExactTotalLimit"/>).
/// </summary>
public sealed record AuditPage<T>(IReadOnlyList<T> Items, int TotalCount, bool TotalIsLowerBound = false);

