using Dapper;
using Portal.Data;

namespace Portal.Audit;

/// <summary>
/// "Verify integrity": walks every event in order, recomputing the HMAC chain, then checks each upload row against the
/// fingerprint in its "received" event and the derived state against the events. Names the first problem found.
/// </summary>
public sealed class AuditIntegrity(SqliteConnectionFactory connections, AuditChain chain)
{
    private const string SelectEvents = """
        SELECT seq AS Seq, occurred_at AS OccurredAt, kind AS Kind, actor_id AS ActorId, actor_name AS ActorName,
               upload_id AS UploadId, data AS Data, chain AS Chain
        FROM audit_events ORDER BY seq
        """;

    private const string SelectHighestIssuedSeq = "SELECT COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'audit_events'), 0)";

    // "+e.kind": the upload's own events are few, so SQLite must find them by upload (not scan every "received" event).
    private const string SelectUploadsWithFingerprint = "SELECT " + AuditSearch.UploadColumns + """
        , json_extract(e.data, '$.fingerprint') AS Fingerprint
        FROM uploads u LEFT JOIN audit_events e ON e.upload_id = u.id AND +e.kind = 'received'
        """;

    // The kinds that set a status come from AuditEventKinds.Statuses, the one list of them.
    private static readonly string SelectStateMismatch = $$"""
        SELECT s.upload_id FROM upload_state s
        LEFT JOIN audit_events e ON e.seq = (
            SELECT MAX(seq) FROM audit_events
            WHERE upload_id = s.upload_id AND kind IN ({{string.Join(", ", AuditEventKinds.Statuses.Select(kind => $"'{kind}'"))}}))
        WHERE e.seq IS NULL OR s.status <> e.kind
           OR (e.kind = 'sent' AND s.tencent_upload_id IS NOT json_extract(e.data, '$.tencentUploadId'))
        UNION ALL
        SELECT u.id FROM uploads u WHERE NOT EXISTS (SELECT 1 FROM upload_state s WHERE s.upload_id = u.id)
        LIMIT 1
        """;

    public async Task<IntegrityReport> VerifyAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        // One read transaction: a consistent snapshot while uploads go on (WAL lets writers continue).
        await using var snapshot = await connection.BeginTransactionAsync(cancellationToken);

        var previous = AuditChain.Genesis;
        long expectedSeq = 1, checkedEvents = 0;
        await foreach (var e in connection.QueryUnbufferedAsync<AuditEvent>(SelectEvents, transaction: snapshot).WithCancellation(cancellationToken))
        {
            if (e.Seq != expectedSeq)
            {
                return Broken(checkedEvents, e.Seq > expectedSeq
                    ? $"event #{expectedSeq}{(e.Seq - expectedSeq > 1 ? $" to #{e.Seq - 1}" : "")} is missing (removed from the database)."
                    : $"event #{e.Seq} appears out of order.");
            }

            var link = chain.Link(previous, e.Seq, DbFormat.Timestamp(e.OccurredAt), e.Kind, e.ActorId, e.ActorName,
                e.UploadId is { } uploadId ? DbFormat.Key(uploadId) : null, e.Data);
            if (!string.Equals(link, e.Chain, StringComparison.Ordinal))
            {
                return Broken(checkedEvents, $"event #{e.Seq} ({e.Kind} at {DbFormat.Timestamp(e.OccurredAt)}) was altered or forged: its chain link does not match its content.");
            }

            previous = link;
            expectedSeq++;
            checkedEvents++;
        }

        var lastSeq = expectedSeq - 1;
        var highestIssued = await connection.ExecuteScalarAsync<long>(SelectHighestIssuedSeq, transaction: snapshot);
        if (highestIssued > lastSeq)
        {
            return Broken(checkedEvents, $"the last event is #{lastSeq}, but events up to #{highestIssued} were written: the newest events were removed.");
        }

        long checkedUploads = 0;
        await using (var uploads = await connection.ExecuteReaderAsync(SelectUploadsWithFingerprint, transaction: snapshot))
        {
            var fingerprintColumn = uploads.GetOrdinal("Fingerprint");
            var readUpload = uploads.GetRowParser<UploadRecord>(startIndex: 0, length: fingerprintColumn);
            while (await uploads.ReadAsync(cancellationToken))
            {
                var upload = readUpload(uploads);
                if (await uploads.IsDBNullAsync(fingerprintColumn, cancellationToken))
                {
                    return Broken(checkedEvents, $"upload {DbFormat.Key(upload.Id)} ({upload.FileName}) has no \"received\" event: the row was added behind the portal's back.");
                }

                if (!string.Equals(AuditChain.Fingerprint(upload), uploads.GetString(fingerprintColumn), StringComparison.Ordinal))
                {
                    return Broken(checkedEvents, $"upload {DbFormat.Key(upload.Id)} ({upload.FileName}) was altered: it no longer matches the fingerprint in its \"received\" event.");
                }

                checkedUploads++;
            }
        }

        var mismatch = await connection.ExecuteScalarAsync<string?>(SelectStateMismatch, transaction: snapshot);
        if (mismatch is not null)
        {
            return Broken(checkedEvents, $"the status shown for upload {mismatch} does not match its events.");
        }

        return new IntegrityReport(true, checkedEvents, checkedUploads, null, lastSeq, lastSeq == 0 ? AuditChain.Genesis : previous);
    }

    private static IntegrityReport Broken(long checkedEvents, string problem) => new(false, checkedEvents, 0, problem, null, null);
}
