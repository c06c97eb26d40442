using System.Data.Common;
using System.Text.RegularExpressions;
using Dapper;
using Portal.Data;
using Portal.Uploads;

namespace Portal.Audit;

/// <summary>Where a page of uploads in time order ended: the last upload's time and id.</summary>
public sealed record UploadCursor(DateTime ReceivedAt, Guid Id);

/// <summary>The read side of the audit trail: filtered, sorted, paged upload lists, one upload's history, exports and daily figures.</summary>
public sealed partial class AuditSearch(PortalDatabase connections, int exactTotalLimit = AuditSearch.ExactTotalLimit)
{
    /// <summary>
    /// Matches are counted up to this many; past it a page says "more than". An exact count of a million matches costs
    /// ~100 ms on PostgreSQL (a parallel scan of a whole index) and grows with the log, while a page needs only to know
    /// there are more; the export and cursor paging give every match.
    /// </summary>
    public const int ExactTotalLimit = 10_000;

    /// <summary>The upload's columns, then the state's (from <c>Status</c>), then its send job's (from <c>QueuedAt</c>), where <see cref="ReadEntriesAsync"/> splits them.</summary>
    private static readonly string EntryColumns =
        $"{UploadRecord.Columns.SelectList("u")}, {UploadState.Columns.SelectList("s")}, {SendJobs.ProgressColumns}";

    private const string EntryTables = "uploads u JOIN upload_state s ON s.upload_id = u.id LEFT JOIN send_jobs j ON j.upload_id = u.id";

    private const string SelectEvents = "SELECT " + AuditEvent.Columns + " FROM audit_events WHERE upload_id = @UploadId ORDER BY seq";

    /// <summary>Above this many matches, prefix filters are checked while walking the log in time order.</summary>
    private const int BroadMatch = 2000;

    public async Task<AuditPage<UploadEntry>> SearchAsync(AuditFilter filter, int pageIndex, int pageSize, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentOutOfRangeException.ThrowIfNegative(pageIndex);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(pageSize);
        await using var connection = await connections.OpenAsync(cancellationToken);
        var users = await UsersOfAsync(connection, filter, cancellationToken);
        var (where, parameters) = Where(filter, connections.Provider, users);
        parameters.Add("CountUpTo", exactTotalLimit + 1);
        var counted = await connection.ExecuteScalarAsync<int>(new CommandDefinition(CountQuery(where), parameters, cancellationToken: cancellationToken));
        var total = Math.Min(counted, exactTotalLimit);
        if (total > BroadMatch && (filter.FileName is { Length: > 0 } || filter.Sha256 is { Length: > 0 } || users is { Length: > 1 }))
        {
            // A short prefix, or a search matching several users, matches a large share of the log: walking it newest
            // first and stopping after one page is cheaper than sorting every match, so keep those indexes out of the page query.
            (where, parameters) = Where(filter, connections.Provider, users, walkInTimeOrder: true);
        }

        parameters.Add("Take", pageSize);
        parameters.Add("Skip", pageIndex * pageSize);
        await using var reader = await connection.ExecuteReaderAsync(new CommandDefinition(
            $"SELECT {EntryColumns} FROM {EntryTables} {where} {OrderBy(filter, connections.Provider)} LIMIT @Take OFFSET @Skip", parameters, cancellationToken: cancellationToken));
        var items = new List<UploadEntry>(pageSize);
        await foreach (var entry in ReadEntriesAsync(reader, cancellationToken))
        {
            items.Add(entry);
        }

        return new AuditPage<UploadEntry>(items, total, TotalIsLowerBound: counted > exactTotalLimit);
    }

    /// <summary>
    /// Up to <paramref name="take"/> matching entries in time order (the filter's direction), starting after
    /// <paramref name="after"/>: keyset paging, so a page costs the same deep in the log as at its start, and uploads
    /// arriving meanwhile neither repeat nor skip an entry. The filter's sort column is ignored.
    /// </summary>
    public async Task<IReadOnlyList<UploadEntry>> SearchAfterAsync(AuditFilter filter, UploadCursor? after, int take, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(take);
        await using var connection = await connections.OpenAsync(cancellationToken);
        var (where, parameters) = Where(filter, connections.Provider, await UsersOfAsync(connection, filter, cancellationToken));
        var receivedAt = filter.Status is null ? "u.received_at" : "s.received_at";
        var (before, direction) = filter.Descending ? ("<", "DESC") : (">", "ASC");
        var clauses = where.Clauses.ToList();
        if (after is { } cursor)
        {
            clauses.Add($"({receivedAt} {before} @AfterAt OR ({receivedAt} = @AfterAt AND u.id {before} @AfterId))");
            parameters.Add("AfterAt", DbFormat.Timestamp(cursor.ReceivedAt));
            parameters.Add("AfterId", DbFormat.Key(cursor.Id));
        }

        parameters.Add("Take", take);
        await using var reader = await connection.ExecuteReaderAsync(new CommandDefinition(
            $"SELECT {EntryColumns} FROM {EntryTables} {where with { Clauses = clauses }} ORDER BY {receivedAt} {direction}, u.id {direction} LIMIT @Take",
            parameters, cancellationToken: cancellationToken));
        var items = new List<UploadEntry>(take);
        await foreach (var entry in ReadEntriesAsync(reader, cancellationToken))
        {
            items.Add(entry);
        }

        return items;
    }

    /// <summary>Up to <paramref name="take"/> events after sequence number <paramref name="afterSeq"/>, in order, of one kind and one upload when given.</summary>
    public async Task<IReadOnlyList<AuditEvent>> EventsAfterAsync(long afterSeq, string? kind, Guid? uploadId, int take, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(take);
        var conditions = new List<string> { "seq > @After" };
        if (kind is not null)
        {
            conditions.Add("kind = @Kind");
        }

        if (uploadId is not null)
        {
            conditions.Add("upload_id = @UploadId");
        }

        await using var connection = await connections.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<AuditEvent>(new CommandDefinition(
            $"SELECT {AuditEvent.Columns} FROM audit_events WHERE {string.Join(" AND ", conditions)} ORDER BY seq LIMIT @Take",
            new { After = afterSeq, Kind = kind, UploadId = uploadId is { } id ? DbFormat.Key(id) : null, Take = take },
            cancellationToken: cancellationToken))).AsList();
    }

    /// <summary>Every matching entry in the filter's order, read as the caller consumes them (never all in memory).</summary>
    public async IAsyncEnumerable<UploadEntry> StreamAsync(AuditFilter filter, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        await using var connection = await connections.OpenAsync(cancellationToken);
        var (where, parameters) = Where(filter, connections.Provider, await UsersOfAsync(connection, filter, cancellationToken));
        await using var reader = await connection.ExecuteReaderAsync(new CommandDefinition(
            $"SELECT {EntryColumns} FROM {EntryTables} {where} {OrderBy(filter, connections.Provider)}", parameters, cancellationToken: cancellationToken));
        await foreach (var entry in ReadEntriesAsync(reader, cancellationToken))
        {
            yield return entry;
        }
    }

    /// <summary>One upload with its state and live send progress, whoever asks: callers decide who may see it (<see cref="UploadAccess"/>).</summary>
    public async Task<UploadEntry?> FindAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var reader = await connection.ExecuteReaderAsync(new CommandDefinition(
            $"SELECT {EntryColumns} FROM {EntryTables} WHERE u.id = @Id", new { Id = DbFormat.Key(id) }, cancellationToken: cancellationToken));
        await foreach (var entry in ReadEntriesAsync(reader, cancellationToken))
        {
            return entry;
        }

        return null;
    }

    /// <summary>Reads rows of <see cref="EntryColumns"/> one at a time.</summary>
    private static async IAsyncEnumerable<UploadEntry> ReadEntriesAsync(DbDataReader reader, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var state = UploadRecord.Columns.Count;
        var job = state + UploadState.Columns.Count;
        var readUpload = reader.GetRowParser<UploadRecord>(startIndex: 0, length: state);
        var readState = reader.GetRowParser<UploadState>(startIndex: state, length: job - state);
        var readJob = reader.GetRowParser<SendProgress>(startIndex: job);
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return new UploadEntry(readUpload(reader), readState(reader), await reader.IsDBNullAsync(job, cancellationToken) ? null : readJob(reader));
        }
    }

    public async Task<IReadOnlyList<AuditEvent>> EventsOfAsync(Guid uploadId, CancellationToken cancellationToken = default)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<AuditEvent>(new CommandDefinition(SelectEvents, new { UploadId = DbFormat.Key(uploadId) }, cancellationToken: cancellationToken))).AsList();
    }

    /// <summary>The ids of the users the filter's user search matches; null when it has none.</summary>
    private async Task<string[]?> UsersOfAsync(DbConnection connection, AuditFilter filter, CancellationToken cancellationToken) =>
        string.IsNullOrWhiteSpace(filter.User) ? null : await AuditUsers.MatchingIdsAsync(connection, connections.Provider, filter.User, cancellationToken);

    /// <summary>
    /// Counting joins only the tables the filter needs: every upload has exactly one state row, so an unfiltered count
    /// is a count of uploads, and a status-only count is a count of states (each served by an index alone).
    /// </summary>
    private static string CountQuery(Conditions where) => "SELECT COUNT(*) FROM (SELECT 1 FROM " + (where.OnUploads, where.OnState) switch
    {
        (false, true) => $"upload_state s {where}",
        (true, true) => $"uploads u JOIN upload_state s ON s.upload_id = u.id {where}",
        _ => $"uploads u {where}",
    } + " LIMIT @CountUpTo) AS matches";

    /// <summary>A WHERE clause, and which of the two tables (u = uploads, s = upload_state) it reads.</summary>
    private sealed record Conditions(IReadOnlyList<string> Clauses, bool OnUploads, bool OnState)
    {
        public override string ToString() => Clauses.Count == 0 ? "" : "WHERE " + string.Join(" AND ", Clauses);
    }

    /// <summary>
    /// Each filter is a condition an index can serve; values are always parameters. SQLite's NOCASE comparisons are
    /// <c>lower()</c> on both sides on PostgreSQL, whose indexes are on <c>lower(column)</c>.
    /// </summary>
    private static (Conditions Where, DynamicParameters Parameters) Where(AuditFilter filter, StorageProvider provider, string[]? users, bool walkInTimeOrder = false)
    {
        var postgreSql = provider == StorageProvider.PostgreSql;
        // A unary + keeps SQLite from using a column's index for that condition (PostgreSQL's planner weighs it by itself).
        var prefixColumn = walkInTimeOrder && !postgreSql ? "+u." : "u.";
        // The few users a search matched lead through their (user_id, received_at) index, which also serves a date range;
        // SQLite would otherwise pick the app's, kind's or status's index and check tens of thousands of rows.
        var besideUser = users is not null && !walkInTimeOrder && !postgreSql ? "+" : "";
        var conditions = new List<string>();
        var parameters = new DynamicParameters();
        bool onUploads = false, onState = false;
        void Add(string condition, string name, object value)
        {
            conditions.Add(condition);
            parameters.Add(name, value);
            onUploads |= UploadsColumn().IsMatch(condition);
            onState |= StateColumn().IsMatch(condition);
        }

        if (!string.IsNullOrWhiteSpace(filter.OwnerId))
        {
            Add("u.user_id = @OwnerId", "OwnerId", filter.OwnerId);
        }

        if (users is not null)
        {
            // The users the search matched (AuditUsers), on the (user_id, received_at) index, which also gives one user's order.
            Add(AuditUsers.IsOneOf($"{prefixColumn}user_id", "UserIds", provider), "UserIds", users);
        }

        if (filter.FromUtc is { } from)
        {
            Add("u.received_at >= @From", "From", DbFormat.Timestamp(from));
        }

        if (filter.ToUtc is { } to)
        {
            Add("u.received_at < @To", "To", DbFormat.Timestamp(to));
        }

        if (!string.IsNullOrWhiteSpace(filter.TencentApp))
        {
            Add($"{besideUser}u.tencent_app = @App", "App", filter.TencentApp);
        }

        if (filter.Status is { } status)
        {
            Add($"{besideUser}s.status = @Status", "Status", status.Text());
        }

        if (!string.IsNullOrWhiteSpace(filter.PackageKind))
        {
            Add($"{besideUser}u.package_kind = @Kind", "Kind", filter.PackageKind);
        }

        if (filter.TencentUploadId is { } tencentUploadId)
        {
            Add("s.tencent_upload_id = @TencentUploadId", "TencentUploadId", tencentUploadId);
        }

        if (!string.IsNullOrWhiteSpace(filter.FileName))
        {
            // "Starts with", any ASCII letter case, as a range on the NOCASE index: [prefix, prefix + the highest code point).
            var prefix = filter.FileName.Trim();
            Add(postgreSql
                ? "(lower(u.file_name) >= lower(@FileName) AND lower(u.file_name) < lower(@FileNameEnd))"
                : $"({prefixColumn}file_name >= @FileName COLLATE NOCASE AND {prefixColumn}file_name < @FileNameEnd COLLATE NOCASE)", "FileName", prefix);
            parameters.Add("FileNameEnd", prefix + char.ConvertFromUtf32(0x10FFFF));
        }

        if (!string.IsNullOrWhiteSpace(filter.Sha256))
        {
            // Hex digits sort below 'g', so [prefix, prefix + 'g') is exactly "starts with prefix", and an index can serve it.
            var prefix = filter.Sha256.Trim().ToLowerInvariant();
            Add($"(({prefixColumn}sha256 >= @Sha AND {prefixColumn}sha256 < @ShaEnd) OR ({prefixColumn}clean_sha256 >= @Sha AND {prefixColumn}clean_sha256 < @ShaEnd))", "Sha", prefix);
            parameters.Add("ShaEnd", prefix + "g");
        }

        return (new Conditions(conditions, onUploads, onState), parameters);
    }

    /// <summary>
    /// Each sort walks an index in either direction (decision 0018): a column, then the time in the index's own order
    /// relative to it, so that the first page reads 25 index entries rather than sorting every match.
    /// </summary>
    private static string OrderBy(AuditFilter filter, StorageProvider provider)
    {
        var (direction, reverse) = filter.Descending ? ("DESC", "ASC") : ("ASC", "DESC");
        string NoCase(string column) => provider == StorageProvider.PostgreSql ? $"lower({column})" : $"{column} COLLATE NOCASE";
        // With a status filter the state table leads, and its (status, received_at) index gives the order for free.
        var receivedAt = filter.Status is null ? "u.received_at" : "s.received_at";
        return filter.Sort switch
        {
            AuditSort.FileName => $"ORDER BY {NoCase("u.file_name")} {direction}, u.received_at DESC",
            AuditSort.FileSize => $"ORDER BY u.file_size {direction}, u.received_at {direction}",
            AuditSort.RowCount => $"ORDER BY u.row_count {direction}, u.received_at {direction}",
            AuditSort.UserName => $"ORDER BY {NoCase("u.user_name")} {direction}, u.received_at {direction}",
            // These indexes hold the time newest first.
            AuditSort.TencentApp => $"ORDER BY u.tencent_app {direction}, u.received_at {reverse}",
            AuditSort.Status => $"ORDER BY s.status {direction}, s.received_at {reverse}",
            AuditSort.Sha256 => $"ORDER BY u.sha256 {direction}",
            // Uploads never sent have none: last either way, as PostgreSQL's index holds them for ascending order.
            AuditSort.TencentUploadId => $"ORDER BY s.tencent_upload_id {direction} NULLS LAST, u.received_at DESC",
            _ => $"ORDER BY {receivedAt} {direction}",
        };
    }

    [GeneratedRegex(@"\bu\.")]
    private static partial Regex UploadsColumn();

    [GeneratedRegex(@"\bs\.")]
    private static partial Regex StateColumn();
}
