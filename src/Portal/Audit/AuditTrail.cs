using Dapper;
using Microsoft.Data.Sqlite;
using Portal.Data;

namespace Portal.Audit;

/// <summary>
/// Appends to the audit trail. Rows are only ever inserted (triggers refuse updates and deletes); each event is chained
/// with <see cref="AuditChain"/> inside one write transaction, so concurrent writers cannot fork the chain. Upload life
/// events go through <see cref="Uploads.UploadStore"/>, which keeps the upload's state in step in the same transaction.
/// </summary>
public sealed class AuditTrail(SqliteConnectionFactory connections, AuditChain chain, TimeProvider clock)
{
    /// <summary>Records something people or the portal did (downloads, exports, sign-ins, verifications).</summary>
    public Task AppendAsync(AuditActor actor, ActivityEvent activity, Guid? uploadId = null, CancellationToken cancellationToken = default) =>
        WriteAsync(writer => writer.AppendAsync(actor, activity, uploadId), cancellationToken);

    /// <summary>
    /// Runs <paramref name="work"/> in one write transaction and commits it, unless it throws. SQLite's BEGIN IMMEDIATE
    /// takes the write lock before the chain head is read, so two writers cannot both extend the same link; a competing
    /// writer waits up to the connection's busy timeout.
    /// </summary>
    public async Task<T> WriteAsync<T>(Func<AuditWriter, Task<T>> work, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction(deferred: false);
        var result = await work(new AuditWriter(connection, transaction, chain, clock.GetUtcNow().UtcDateTime));
        await transaction.CommitAsync(cancellationToken);
        return result;
    }
}

/// <summary>One write transaction on the trail.</summary>
public sealed class AuditWriter
{
    private const string SelectChainHead = """
        SELECT MAX(COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'audit_events'), 0), COALESCE(MAX(seq), 0)) AS Seq,
               (SELECT chain FROM audit_events ORDER BY seq DESC LIMIT 1) AS Chain
        FROM audit_events
        """;

    private const string InsertEvent = """
        INSERT INTO audit_events (seq, occurred_at, kind, actor_id, actor_name, upload_id, data, chain)
        VALUES (@Seq, @OccurredAt, @Kind, @ActorId, @ActorName, @UploadId, @Data, @Chain)
        """;

    private readonly AuditChain _chain;

    internal AuditWriter(SqliteConnection connection, SqliteTransaction transaction, AuditChain chain, DateTime now)
    {
        Connection = connection;
        Transaction = transaction;
        _chain = chain;
        Now = now;
    }

    public SqliteConnection Connection { get; }

    public SqliteTransaction Transaction { get; }

    /// <summary>When the transaction began (UTC): the time of its events unless told otherwise.</summary>
    public DateTime Now { get; }

    /// <summary>Appends one event at the head of the chain; returns its sequence number.</summary>
    public async Task<long> AppendAsync(AuditActor actor, AuditEventData data, Guid? uploadId, DateTime? occurredAt = null)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(data);
        var head = await Connection.QuerySingleAsync<(long Seq, string? Chain)>(SelectChainHead, transaction: Transaction);
        var seq = head.Seq + 1;
        var occurred = DbFormat.Timestamp(occurredAt ?? Now);
        var upload = uploadId is { } id ? DbFormat.Key(id) : null;
        var json = data.ToJson();
        await Connection.ExecuteAsync(InsertEvent, new
        {
            Seq = seq,
            OccurredAt = occurred,
            data.Kind,
            ActorId = actor.Id,
            ActorName = actor.Name,
            UploadId = upload,
            Data = json,
            Chain = _chain.Link(head.Chain ?? AuditChain.Genesis, seq, occurred, data.Kind, actor.Id, actor.Name, upload, json),
        }, Transaction);
        return seq;
    }
}
