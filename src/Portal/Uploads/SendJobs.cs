using System.Data.Common;
using Dapper;
using Portal.Audit;
using Portal.Data;

namespace Portal.Uploads;

/// <summary>A send a worker has claimed.</summary>
public sealed record ClaimedSend
{
    public Guid UploadId { get; init; }
    public int Attempt { get; init; }
    public string Variant { get; init; } = "";
    public string TencentApp { get; init; } = "";
    public long BytesTotal { get; init; }
}

/// <summary>What the worker learns when it reports progress: whether it still holds the lease, and who asked to cancel.</summary>
public sealed record LeaseCheck(bool Held, AuditActor? CancelRequestedBy);

/// <summary>
/// The send queue in <c>send_jobs</c>: a row per queued or running send. Rows change with the upload's events in the same
/// transaction (<see cref="AuditWriter"/>), except the worker's progress reports, which touch only its own row. Its
/// write transaction is the trail's, taken one at a time by every replica, so a job is claimed by exactly one of them.
/// </summary>
public static class SendJobs
{
    /// <summary>The progress columns of a job joined as <c>j</c> (null columns when there is none), starting with <c>QueuedAt</c>.</summary>
    public const string ProgressColumns = """
        j.queued_at AS QueuedAt, (j.state = 'running') AS Running, j.attempt AS Attempt,
        CASE WHEN j.state = 'queued' THEN (SELECT COUNT(*) FROM send_jobs q WHERE q.state = 'queued' AND q.queued_at <= j.queued_at) END AS QueuePosition,
        j.bytes_sent AS BytesSent, j.bytes_total AS BytesTotal, j.started_at AS StartedAt, j.progress_at AS ProgressAt,
        j.cancel_by_name AS CancelRequestedBy
        """;

    private const string Insert = """
        INSERT INTO send_jobs (upload_id, attempt, variant, tencent_app, queued_at, queued_by_id, queued_by_name, state, bytes_total)
        VALUES (@UploadId, @Attempt, @Variant, @TencentApp, @QueuedAt, @QueuedById, @QueuedByName, 'queued', @BytesTotal)
        """;

    private const string SelectNext = """
        SELECT upload_id AS UploadId, attempt AS Attempt, variant AS Variant, tencent_app AS TencentApp, bytes_total AS BytesTotal
        FROM send_jobs WHERE state = 'queued'{0} ORDER BY queued_at LIMIT 1
        """;

    /// <summary>
    /// PostgreSQL's claim also skips rows another transaction holds: the trail's write lock serialises claims already,
    /// and this keeps a claim from ever waiting on, or taking, a row being claimed elsewhere.
    /// </summary>
    private const string LockForClaim = " FOR UPDATE SKIP LOCKED";

    private const string Start = """
        UPDATE send_jobs SET state = 'running', lease_owner = @Worker, lease_until = @LeaseUntil, started_at = @Now, progress_at = @Now
        WHERE upload_id = @UploadId
        """;

    private const string Renew = """
        UPDATE send_jobs SET lease_until = @LeaseUntil, bytes_sent = @BytesSent, progress_at = @Now
        WHERE upload_id = @UploadId AND lease_owner = @Worker
        RETURNING cancel_by_id AS Id, cancel_by_name AS Name
        """;

    private const string SelectExpired = """
        SELECT upload_id AS UploadId, bytes_sent AS BytesSent, lease_owner AS Owner FROM send_jobs
        WHERE state = 'running' AND lease_until < @Now
        """;

    public static Task EnqueueAsync(AuditWriter writer, Guid uploadId, int attempt, SendRequest request, string tencentApp, AuditActor by) =>
        writer.Connection.ExecuteAsync(Insert, new
        {
            UploadId = DbFormat.Key(uploadId),
            Attempt = attempt,
            request.Variant,
            TencentApp = tencentApp,
            QueuedAt = DbFormat.Timestamp(writer.Now),
            QueuedById = by.Id,
            QueuedByName = by.Name,
            BytesTotal = request.Size,
        }, writer.Transaction);

    /// <summary>Takes the oldest queued send of an app that is not paused, with a lease; null when there is none.</summary>
    public static async Task<ClaimedSend?> ClaimNextAsync(AuditWriter writer, string worker, DateTime leaseUntil, IReadOnlyCollection<string> pausedApps)
    {
        ArgumentNullException.ThrowIfNull(writer);
        // One parameter per paused app, written out: the two providers expand a list parameter differently.
        var paused = new DynamicParameters();
        var names = pausedApps.Select((app, i) => { paused.Add($"Paused{i}", app); return $"@Paused{i}"; }).ToList();
        var select = string.Format(System.Globalization.CultureInfo.InvariantCulture, SelectNext,
            names.Count == 0 ? "" : $" AND tencent_app NOT IN ({string.Join(", ", names)})");
        var sql = writer.Database.Sql(select, select + LockForClaim);

        var next = await writer.Connection.QuerySingleOrDefaultAsync<ClaimedSend>(sql, paused, writer.Transaction);
        if (next is not null)
        {
            await writer.Connection.ExecuteAsync(Start, new
            {
                UploadId = DbFormat.Key(next.UploadId),
                Worker = worker,
                LeaseUntil = DbFormat.Timestamp(leaseUntil),
                Now = DbFormat.Timestamp(writer.Now),
            }, writer.Transaction);
        }

        return next;
    }

    /// <summary>The worker's report: extends its lease and records progress, if it still holds the lease.</summary>
    public static async Task<LeaseCheck> RenewAsync(DbConnection connection, Guid uploadId, string worker, DateTime now, DateTime leaseUntil, long bytesSent)
    {
        var row = await connection.QueryFirstOrDefaultAsync<(string? Id, string? Name)?>(Renew, new
        {
            UploadId = DbFormat.Key(uploadId),
            Worker = worker,
            LeaseUntil = DbFormat.Timestamp(leaseUntil),
            BytesSent = bytesSent,
            Now = DbFormat.Timestamp(now),
        });
        return row is { } held
            ? new LeaseCheck(true, held.Id is not null ? new AuditActor(held.Id, held.Name ?? held.Id) : null)
            : new LeaseCheck(false, null);
    }

    /// <summary>Running sends whose worker stopped reporting before its lease ran out.</summary>
    public static async Task<IReadOnlyList<(Guid UploadId, long BytesSent, string Owner)>> ExpiredAsync(AuditWriter writer) =>
        (await writer.Connection.QueryAsync<(Guid, long, string)>(SelectExpired, new { Now = DbFormat.Timestamp(writer.Now) }, writer.Transaction)).AsList();

    /// <summary>Asks the worker of a running send to stop; false when the send is not running.</summary>
    public static async Task<bool> RequestCancelAsync(AuditWriter writer, Guid uploadId, AuditActor by) =>
        await writer.Connection.ExecuteAsync(
            "UPDATE send_jobs SET cancel_by_id = @Id, cancel_by_name = @Name WHERE upload_id = @UploadId AND state = 'running'",
            new { UploadId = DbFormat.Key(uploadId), by.Id, by.Name }, writer.Transaction) == 1;

    /// <summary>Removes a queued send that no worker has taken; false when there is none.</summary>
    public static async Task<bool> RemoveQueuedAsync(AuditWriter writer, Guid uploadId) =>
        await writer.Connection.ExecuteAsync("DELETE FROM send_jobs WHERE upload_id = @UploadId AND state = 'queued'",
            new { UploadId = DbFormat.Key(uploadId) }, writer.Transaction) == 1;

    /// <summary>Removes a running send's row if <paramref name="worker"/> still holds its lease; false when it lost it.</summary>
    public static async Task<bool> ReleaseAsync(AuditWriter writer, Guid uploadId, string worker) =>
        await writer.Connection.ExecuteAsync("DELETE FROM send_jobs WHERE upload_id = @UploadId AND lease_owner = @Worker",
            new { UploadId = DbFormat.Key(uploadId), Worker = worker }, writer.Transaction) == 1;

    /// <summary>Tencent asked to slow down for this app until <paramref name="until"/>: no portal on this database claims its sends before then.</summary>
    public static Task PauseAppAsync(AuditWriter writer, string appKey, DateTimeOffset until) =>
        writer.Connection.ExecuteAsync("""
            INSERT INTO tencent_pauses (app_key, paused_until) VALUES (@AppKey, @Until)
            ON CONFLICT (app_key) DO UPDATE SET paused_until = excluded.paused_until
            WHERE excluded.paused_until > tencent_pauses.paused_until
            """, new { AppKey = appKey, Until = DbFormat.Timestamp(until.UtcDateTime) }, writer.Transaction);

    /// <summary>The apps (by <see cref="Tencent.TencentRateLimitGate.KeyOf"/>) that some portal on this database was told to leave alone for now.</summary>
    public static async Task<IReadOnlySet<string>> PausedAppsAsync(AuditWriter writer) =>
        (await writer.Connection.QueryAsync<string>("SELECT app_key FROM tencent_pauses WHERE paused_until > @Now",
            new { Now = DbFormat.Timestamp(writer.Now) }, writer.Transaction)).ToHashSet(StringComparer.Ordinal);
}
