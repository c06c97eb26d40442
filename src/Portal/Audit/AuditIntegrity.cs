using System.Data.Common;
using Dapper;
using Portal.Data;
using Portal.Uploads;

namespace Portal.Audit;

/// <summary>How far a verification has got: events of the chain checked, then uploads replayed.</summary>
public sealed record IntegrityProgress(long EventsChecked, long EventsTotal, long UploadsChecked, long UploadsTotal)
{
    public double Fraction => EventsTotal + UploadsTotal == 0 ? 1 : (double)(EventsChecked + UploadsChecked) / (EventsTotal + UploadsTotal);
}

/// <summary>The outcome of walking the whole trail.</summary>
public sealed record IntegrityReport(bool Intact, long EventsChecked, long UploadsChecked, string? FirstProblem, long? LastSeq, string? LastChain)
{
    public string Describe() => Intact
        ? $"Intact: {EventsChecked:N0} events and {UploadsChecked:N0} uploads checked; last event #{LastSeq} ends the chain with {LastChain?[..16]}…"
        : $"Broken: {FirstProblem}";
}

/// <summary>
/// "Verify integrity": walks every event in order, recomputing the HMAC chain; then, upload by upload, checks the row
/// against the fingerprint in its "received" event and replays its events through <see cref="UploadLifecycle"/> and
/// <see cref="UploadState.Apply"/>, comparing every column of the stored state with the replayed one. Names the first
/// problem found. All in one read transaction: a consistent snapshot while uploads go on (<see cref="PortalDatabase.BeginSnapshotAsync"/>).
/// </summary>
public sealed class AuditIntegrity(PortalDatabase database, AuditChain chain)
{
    private const int UploadsPerPage = 500;

    private const string SelectEvents = "SELECT " + AuditEvent.Columns + " FROM audit_events ORDER BY seq";

    private const string SelectHighestIssuedSeq = "SELECT COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'audit_events'), 0)";

    private const string SelectPostgreSqlHighestIssuedSeq = "SELECT seq FROM audit_chain_head";

    private const string CountAll = "SELECT (SELECT COUNT(*) FROM audit_events) AS Events, (SELECT COUNT(*) FROM uploads) AS Uploads";

    // The state's columns come with a "State" prefix on their aliases, so the page reads as two parsed parts and a marker.
    private static readonly string SelectUploadPage =
        $"SELECT {UploadRecord.Columns.SelectList("u")}, s.upload_id AS StateMarker, {UploadState.Columns.SelectList("s")} "
        + "FROM uploads u LEFT JOIN upload_state s ON s.upload_id = u.id WHERE u.id > @After ORDER BY u.id LIMIT @Take";

    private const string SelectPageEvents = "SELECT " + AuditEvent.Columns + """
         FROM audit_events WHERE upload_id >= @First AND upload_id <= @Last ORDER BY upload_id, seq
        """;

    private const string SelectOrphanState = "SELECT upload_id FROM upload_state WHERE upload_id NOT IN (SELECT id FROM uploads) LIMIT 1";

    public async Task<IntegrityReport> VerifyAsync(IProgress<IntegrityProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var snapshot = await database.BeginSnapshotAsync(connection, cancellationToken);
        var totals = await connection.QuerySingleAsync<(long Events, long Uploads)>(CountAll, transaction: snapshot);
        void Report(long events, long uploads) => progress?.Report(new IntegrityProgress(events, totals.Events, uploads, totals.Uploads));

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
            if (++checkedEvents % 100_000 == 0)
            {
                Report(checkedEvents, 0);
            }
        }

        var lastSeq = expectedSeq - 1;
        var highestIssued = await connection.ExecuteScalarAsync<long>(database.Sql(SelectHighestIssuedSeq, SelectPostgreSqlHighestIssuedSeq), transaction: snapshot);
        if (highestIssued > lastSeq)
        {
            return Broken(checkedEvents, $"the last event is #{lastSeq}, but events up to #{highestIssued} were written: the newest events were removed.");
        }

        long checkedUploads = 0;
        var after = "";
        while (true)
        {
            var page = await ReadUploadPageAsync(connection, snapshot, after, cancellationToken);
            if (page.Count == 0)
            {
                break;
            }

            var events = (await connection.QueryAsync<AuditEvent>(new CommandDefinition(SelectPageEvents,
                new { First = DbFormat.Key(page[0].Upload.Id), Last = DbFormat.Key(page[^1].Upload.Id) }, snapshot, cancellationToken: cancellationToken)))
                .ToLookup(e => e.UploadId);
            foreach (var (upload, state) in page)
            {
                if (CheckUpload(upload, state, events[upload.Id].ToList()) is { } problem)
                {
                    return Broken(checkedEvents, $"upload {DbFormat.Key(upload.Id)} ({upload.FileName}) {problem}");
                }
            }

            checkedUploads += page.Count;
            after = DbFormat.Key(page[^1].Upload.Id);
            Report(checkedEvents, checkedUploads);
        }

        if (await connection.ExecuteScalarAsync<string?>(SelectOrphanState, transaction: snapshot) is { } orphan)
        {
            return Broken(checkedEvents, $"a state row names upload {orphan}, which does not exist.");
        }

        return new IntegrityReport(true, checkedEvents, checkedUploads, null, lastSeq, lastSeq == 0 ? AuditChain.Genesis : previous);
    }

    private static async Task<List<(UploadRecord Upload, UploadState? State)>> ReadUploadPageAsync(
        DbConnection connection, DbTransaction snapshot, string after, CancellationToken cancellationToken)
    {
        await using var reader = await connection.ExecuteReaderAsync(new CommandDefinition(SelectUploadPage,
            new { After = after, Take = UploadsPerPage }, snapshot, cancellationToken: cancellationToken));
        var marker = UploadRecord.Columns.Count;
        var readUpload = reader.GetRowParser<UploadRecord>(startIndex: 0, length: marker);
        var readState = reader.GetRowParser<UploadState>(startIndex: marker + 1);
        var page = new List<(UploadRecord, UploadState?)>(UploadsPerPage);
        while (await reader.ReadAsync(cancellationToken))
        {
            page.Add((readUpload(reader), await reader.IsDBNullAsync(marker, cancellationToken) ? null : readState(reader)));
        }

        return page;
    }

    /// <summary>What is wrong with one upload, its stored state and its events (in order); null when nothing is.</summary>
    private static string? CheckUpload(UploadRecord upload, UploadState? stored, IReadOnlyList<AuditEvent> events)
    {
        if (events.Count == 0 || events[0].Parsed is not UploadReceived received)
        {
            return "has no \"received\" event: the row was added behind the portal's back.";
        }

        var version = UploadRecord.FingerprintVersionOf(received.Fingerprint);
        if (!string.Equals(upload.Fingerprint(version), received.Fingerprint, StringComparison.Ordinal))
        {
            return "was altered: it no longer matches the fingerprint in its \"received\" event.";
        }

        if (UploadRecord.Columns.FirstOrDefault(column => column.Since > version && column.Value(upload) is not null) is { } later)
        {
            return $"was altered: {later.Name} is set, but the upload was recorded before that column existed.";
        }

        UploadState? replayed = null;
        foreach (var e in events)
        {
            if (e.Parsed is not UploadEvent life)
            {
                continue;
            }

            if (UploadLifecycle.Next(replayed?.Status, life) is null)
            {
                return $"has event #{e.Seq} ({e.Kind}), which cannot happen when it is {replayed?.Status.Text() ?? "not yet received"}.";
            }

            replayed = (replayed ?? new UploadState()).Apply(life, e.Seq, e.OccurredAt);
        }

        if (stored is null)
        {
            return "has no state row.";
        }

        var differs = UploadState.Columns.FirstOrDefault(column => !Equals(column.Value(stored), column.Value(replayed!)));
        return differs is null
            ? null
            : $"shows {differs.Name} = {Show(differs.Value(stored))}, but its events say {Show(differs.Value(replayed!))}: the state was altered.";
    }

    private static string Show(object? value) => value switch
    {
        null => "(none)",
        string text => $"'{text}'",
        _ => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)!,
    };

    private static IntegrityReport Broken(long checkedEvents, string problem) => new(false, checkedEvents, 0, problem, null, null);
}
