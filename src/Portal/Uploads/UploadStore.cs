using System.Data.Common;
using Dapper;
using Portal.Audit;
using Portal.Data;

namespace Portal.Uploads;

/// <summary>
/// Records an upload's life: its row once, then each <see cref="UploadEvent"/> only when <see cref="UploadLifecycle"/>
/// allows it, with <c>upload_state</c> rewritten from <see cref="UploadState.Apply"/> in the same transaction. Open pages in
/// this process hear of every change through <see cref="UploadChanges"/>.
/// </summary>
public sealed class UploadStore(AuditTrail trail, UploadChanges changes)
{
    private static readonly string InsertUpload = UploadRecord.Columns.Insert("uploads");

    private static readonly string SelectState =
        $"SELECT {UploadState.Columns.SelectList("s")} FROM upload_state s WHERE s.upload_id = @UploadId";

    /// <summary>Records a received package, its "received" event (fingerprinting the row) and its verdict, as one transaction.</summary>
    public Task RecordReceivedAsync(UploadRecord upload, AuditActor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(upload);
        return WriteAsync(upload.Id, async writer =>
        {
            await writer.Connection.ExecuteAsync(InsertUpload, UploadRecord.Columns.Parameters(upload), writer.Transaction);
            await RecordAsync(writer, upload.Id, actor, new UploadReceived(upload.Fingerprint(UploadRecord.FingerprintVersion)), upload.ReceivedAt);
            UploadEvent verdict = upload.Accepted
                ? new UploadValidated(upload.ValidationSummary, upload.ValidationMs)
                : new UploadRejected(upload.ValidationSummary, upload.ValidationMs);
            await RecordAsync(writer, upload.Id, actor, verdict, upload.ReceivedAt);
            return true;
        }, cancellationToken);
    }

    /// <summary>Runs <paramref name="work"/> in one write transaction on the trail, then tells open pages that the upload changed.</summary>
    public async Task<T> WriteAsync<T>(Guid uploadId, Func<AuditWriter, Task<T>> work, CancellationToken cancellationToken = default)
    {
        var result = await trail.WriteAsync(work, cancellationToken);
        changes.Notify(uploadId);
        return result;
    }

    /// <summary>
    /// Records <paramref name="e"/> if the upload's life allows it now, with its new state; null (and nothing written) when
    /// it does not: the upload does not exist, or is not where the event needs it to be.
    /// </summary>
    public static async Task<UploadState?> RecordAsync(AuditWriter writer, Guid uploadId, AuditActor actor, UploadEvent e, DateTime? occurredAt = null)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(e);
        var state = e is UploadReceived ? null : await StateAsync(writer, uploadId);
        if (UploadLifecycle.Next(state?.Status, e) is null)
        {
            return null;
        }

        var at = occurredAt ?? writer.Now;
        var seq = await writer.AppendAsync(actor, e, uploadId, at);
        var next = (state ?? new UploadState()).Apply(e, seq, at);
        await SaveStateAsync(writer.Connection, writer.Transaction, uploadId, next);
        return next;
    }

    /// <summary>Writes an upload's state row whole (or, given <paramref name="upsert"/> of <paramref name="columns"/>, those columns).</summary>
    internal static Task SaveStateAsync(DbConnection connection, DbTransaction transaction, Guid uploadId, UploadState state,
        IReadOnlyCollection<DbColumn<UploadState>>? columns = null, string? upsert = null)
    {
        var parameters = (columns ?? UploadState.Columns).Parameters(state);
        parameters.Add("UploadId", DbFormat.Key(uploadId));
        return connection.ExecuteAsync(upsert ?? UploadState.Upsert, parameters, transaction);
    }

    /// <summary>The upload's state as this transaction sees it; null when there is no such upload.</summary>
    public static Task<UploadState?> StateAsync(AuditWriter writer, Guid uploadId)
    {
        ArgumentNullException.ThrowIfNull(writer);
        return writer.Connection.QuerySingleOrDefaultAsync<UploadState?>(SelectState, new { UploadId = DbFormat.Key(uploadId) }, writer.Transaction);
    }
}

/// <summary>
/// Rebuilds <c>upload_state</c> from the events, upload by upload in event order: the migration that changed how the
/// state is derived runs it, so every row is what <see cref="UploadState.Apply"/> makes of its events.
/// </summary>
public sealed class UploadStateRebuild : IMigrationStep
{
    private const string SelectUploadEvents = "SELECT " + AuditEvent.Columns + " FROM audit_events WHERE upload_id IS NOT NULL ORDER BY upload_id, seq";

    public string Name => "rebuild-upload-state";

    public async Task RunAsync(DbConnection connection, DbTransaction transaction)
    {
        ArgumentNullException.ThrowIfNull(connection);
        // Run by an older migration, the table lacks the columns later ones add: those are written when they are added.
        string[] existing;
        await using (var reader = await connection.ExecuteReaderAsync("SELECT * FROM upload_state WHERE 1 = 0", transaction: transaction))
        {
            existing = Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToArray();
        }

        var columns = UploadState.Columns.Where(column => existing.Contains(column.Name, StringComparer.OrdinalIgnoreCase)).ToArray();
        var upsert = UploadState.UpsertOf(columns);
        Task SaveAsync(Guid id, UploadState state) => UploadStore.SaveStateAsync(connection, transaction, id, state, columns, upsert);

        // Streamed: one upload's state in memory at a time, written when the next upload's events begin.
        (Guid Id, UploadState State)? current = null;
        await foreach (var e in connection.QueryUnbufferedAsync<AuditEvent>(SelectUploadEvents, transaction: transaction))
        {
            if (e.Parsed is not UploadEvent life)
            {
                continue;
            }

            if (current is { } previous && previous.Id != e.UploadId)
            {
                await SaveAsync(previous.Id, previous.State);
            }

            var state = current is { } same && same.Id == e.UploadId ? same.State : new UploadState();
            current = (e.UploadId!.Value, state.Apply(life, e.Seq, e.OccurredAt));
        }

        if (current is { } last)
        {
            await SaveAsync(last.Id, last.State);
        }
    }
}
