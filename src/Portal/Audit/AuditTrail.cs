using System.Data.Common;
using Dapper;
using Portal.Data;

namespace Portal.Audit;

/// <summary>
/// Appends to the audit trail. Rows are only ever inserted (triggers refuse updates and deletes); each event is chained
/// with <see cref="AuditChain"/> inside one write transaction (<see cref="PortalDatabase.BeginWriteAsync"/>), so concurrent
/// writers, in this process or in other replicas, cannot fork the chain. Upload life
/// events go through <see cref="Uploads.UploadStore"/>, which keeps the upload's state in step in the same transaction.
/// </summary>
public sealed class AuditTrail(PortalDatabase database, AuditChain chain, TimeProvider clock)
{
    /// <summary>Records something people or the portal did (downloads, exports, sign-ins, verifications).</summary>
    public Task AppendAsync(AuditActor actor, ActivityEvent activity, Guid? uploadId = null, CancellationToken cancellationToken = default) =>
        WriteAsync(writer => writer.AppendAsync(actor, activity, uploadId), cancellationToken);

    /// <summary>
    /// Runs <paramref name="work"/> in one write transaction and commits it, unless it throws. The write lock (SQLite's
    /// BEGIN IMMEDIATE, PostgreSQL's lock on the chain head row) is taken before the chain head is read, so two writers
    /// cannot both extend the same link; a competing writer waits for it.
    /// </summary>
    public async Task<T> WriteAsync<T>(Func<AuditWriter, Task<T>> work, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await database.BeginWriteAsync(connection, cancellationToken);
        var result = await work(new AuditWriter(database, connection, transaction, chain, clock.GetUtcNow().UtcDateTime));
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

    /// <summary>PostgreSQL keeps the head in a row of its own, locked by the write transaction and advanced with each event.</summary>
    private const string SelectPostgreSqlChainHead = "SELECT seq AS Seq, chain AS Chain FROM audit_chain_head";

    private const string AdvancePostgreSqlChainHead = "UPDATE audit_chain_head SET seq = @Seq, chain = @Chain";

    private const string InsertEvent = """
        INSERT INTO audit_events (seq, occurred_at, kind, actor_id, actor_name, upload_id, data, chain)
        VALUES (@Seq, @OccurredAt, @Kind, @ActorId, @ActorName, @UploadId, @Data, @Chain)
        """;

    private readonly AuditChain _chain;

    internal AuditWriter(PortalDatabase database, DbConnection connection, DbTransaction transaction, AuditChain chain, DateTime now)
    {
        Database = database;
        Connection = connection;
        Transaction = transaction;
        _chain = chain;
        Now = now;
    }

    public PortalDatabase Database { get; }

    public DbConnection Connection { get; }

    public DbTransaction Transaction { get; }

    /// <summary>When the transaction began (UTC): the time of its events unless told otherwise.</summary>
    public DateTime Now { get; }

    /// <summary>Appends one event at the head of the chain; returns its sequence number.</summary>
    public async Task<long> AppendAsync(AuditActor actor, AuditEventData data, Guid? uploadId, DateTime? occurredAt = null)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(data);
        var head = await Connection.QuerySingleAsync<(long Seq, string? Chain)>(Database.Sql(SelectChainHead, SelectPostgreSqlChainHead), transaction: Transaction);
        var seq = head.Seq + 1;
        var occurred = DbFormat.Timestamp(occurredAt ?? Now);
        var upload = uploadId is { } id ? DbFormat.Key(id) : null;
        var json = data.ToJson();
        var link = _chain.Link(head.Chain ?? AuditChain.Genesis, seq, occurred, data.Kind, actor.Id, actor.Name, upload, json);
        await Connection.ExecuteAsync(InsertEvent, new
        {
            Seq = seq,
            OccurredAt = occurred,
            data.Kind,
            ActorId = actor.Id,
            ActorName = actor.Name,
            UploadId = upload,
            Data = json,
            Chain = link,
        }, Transaction);
        if (Database.Provider == StorageProvider.PostgreSql)
        {
            await Connection.ExecuteAsync(AdvancePostgreSqlChainHead, new { Seq = seq, Chain = link }, Transaction);
        }

        return seq;
    }
}
