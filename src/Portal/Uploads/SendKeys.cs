using Dapper;
using Portal.Audit;
using Portal.Data;

namespace Portal.Uploads;

/// <summary>A send queued under an idempotency key: what its first request was answered, and every repeat of it.</summary>
public sealed record SendTicket
{
    public Guid UploadId { get; init; }
    public string Package { get; init; } = "";
    public int Attempt { get; init; }
    public DateTime QueuedAt { get; init; }
}

/// <summary>The idempotency keys of sends in <c>send_keys</c>, one per caller and key, written in the transaction that queues the send.</summary>
public static class SendKeys
{
    private const string Select = """
        SELECT upload_id AS UploadId, package AS Package, attempt AS Attempt, queued_at AS QueuedAt
        FROM send_keys WHERE actor_id = @ActorId AND idempotency_key = @Key
        """;

    private const string Insert = """
        INSERT INTO send_keys (actor_id, idempotency_key, upload_id, package, attempt, queued_at)
        VALUES (@ActorId, @Key, @UploadId, @Package, @Attempt, @QueuedAt)
        """;

    /// <summary>What the caller's key queued before; null when the key is new.</summary>
    public static Task<SendTicket?> FindAsync(AuditWriter writer, string actorId, string key)
    {
        ArgumentNullException.ThrowIfNull(writer);
        return writer.Connection.QuerySingleOrDefaultAsync<SendTicket?>(Select, new { ActorId = actorId, Key = key }, writer.Transaction);
    }

    public static Task SaveAsync(AuditWriter writer, string actorId, string key, SendTicket ticket)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(ticket);
        return writer.Connection.ExecuteAsync(Insert, new
        {
            ActorId = actorId,
            Key = key,
            UploadId = DbFormat.Key(ticket.UploadId),
            ticket.Package,
            ticket.Attempt,
            QueuedAt = DbFormat.Timestamp(ticket.QueuedAt),
        }, writer.Transaction);
    }
}
