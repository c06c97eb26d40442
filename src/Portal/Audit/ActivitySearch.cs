using System.Data.Common;
using Dapper;
using Portal.Data;

namespace Portal.Audit;

/// <summary>A recorded event with the upload it belongs to, if any.</summary>
public sealed record ActivityEntry(AuditEvent Event, EventUpload? Upload);

/// <summary>
/// The activity view's read side: every recorded event, newest first, filtered by who (through <see cref="AuditUsers"/>
/// and the (actor_id, seq) index), kind, app and time, with totals counted up to <see cref="AuditSearch.ExactTotalLimit"/>.
/// </summary>
public sealed class ActivitySearch(PortalDatabase connections, int exactTotalLimit = AuditSearch.ExactTotalLimit)
{
    private const string Select = "SELECT " + AuditEvent.Columns + ", u.file_name AS FileName, u.tencent_app AS TencentApp FROM audit_events e LEFT JOIN uploads u ON u.id = e.upload_id";

    public async Task<AuditPage<ActivityEntry>> SearchAsync(ActivityFilter filter, int pageIndex, int pageSize, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentOutOfRangeException.ThrowIfNegative(pageIndex);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(pageSize);
        await using var connection = await connections.OpenAsync(cancellationToken);
        var (where, parameters) = await WhereAsync(connection, filter, cancellationToken);
        parameters.Add("CountUpTo", exactTotalLimit + 1);
        var join = filter.TencentApp is { Length: > 0 } ? "JOIN uploads u ON u.id = e.upload_id" : "";
        var counted = await connection.ExecuteScalarAsync<int>(new CommandDefinition(
            $"SELECT COUNT(*) FROM (SELECT 1 FROM audit_events e {join} {where} LIMIT @CountUpTo) AS matches", parameters, cancellationToken: cancellationToken));
        parameters.Add("Take", pageSize);
        parameters.Add("Skip", pageIndex * pageSize);
        await using var reader = await connection.ExecuteReaderAsync(new CommandDefinition(
            $"{Select} {where} ORDER BY e.seq DESC LIMIT @Take OFFSET @Skip", parameters, cancellationToken: cancellationToken));
        var items = new List<ActivityEntry>(pageSize);
        await foreach (var entry in ReadAsync(reader, cancellationToken))
        {
            items.Add(entry);
        }

        return new AuditPage<ActivityEntry>(items, Math.Min(counted, exactTotalLimit), TotalIsLowerBound: counted > exactTotalLimit);
    }

    /// <summary>Every matching event, newest first, read as the caller consumes them (for the export).</summary>
    public async IAsyncEnumerable<ActivityEntry> StreamAsync(ActivityFilter filter, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        await using var connection = await connections.OpenAsync(cancellationToken);
        var (where, parameters) = await WhereAsync(connection, filter, cancellationToken);
        await using var reader = await connection.ExecuteReaderAsync(new CommandDefinition($"{Select} {where} ORDER BY e.seq DESC", parameters, cancellationToken: cancellationToken));
        await foreach (var entry in ReadAsync(reader, cancellationToken))
        {
            yield return entry;
        }
    }

    /// <summary>Rows of <see cref="Select"/>: the event's columns, then its upload's file name and app (null without one).</summary>
    private static async IAsyncEnumerable<ActivityEntry> ReadAsync(DbDataReader reader, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var fileName = reader.GetOrdinal("FileName");
        var readEvent = reader.GetRowParser<AuditEvent>(startIndex: 0, length: fileName);
        while (await reader.ReadAsync(cancellationToken))
        {
            var upload = await reader.IsDBNullAsync(fileName, cancellationToken) ? null : new EventUpload(reader.GetString(fileName), reader.GetString(fileName + 1));
            yield return new ActivityEntry(readEvent(reader), upload);
        }
    }

    private async Task<(string Where, DynamicParameters Parameters)> WhereAsync(DbConnection connection, ActivityFilter filter, CancellationToken cancellationToken)
    {
        var conditions = new List<string>();
        var parameters = new DynamicParameters();
        if (!string.IsNullOrWhiteSpace(filter.User))
        {
            conditions.Add(AuditUsers.IsOneOf("e.actor_id", "ActorIds", connections.Provider));
            parameters.Add("ActorIds", await AuditUsers.MatchingIdsAsync(connection, connections.Provider, filter.User, cancellationToken));
        }

        if (!string.IsNullOrWhiteSpace(filter.Kind))
        {
            conditions.Add("e.kind = @Kind");
            parameters.Add("Kind", filter.Kind.Trim());
        }

        if (!string.IsNullOrWhiteSpace(filter.TencentApp))
        {
            conditions.Add("u.tencent_app = @App");
            parameters.Add("App", filter.TencentApp.Trim());
        }

        if (filter.FromUtc is { } from)
        {
            conditions.Add("e.occurred_at >= @From");
            parameters.Add("From", DbFormat.Timestamp(from));
        }

        if (filter.ToUtc is { } to)
        {
            conditions.Add("e.occurred_at < @To");
            parameters.Add("To", DbFormat.Timestamp(to));
        }

        return (conditions.Count == 0 ? "" : "WHERE " + string.Join(" AND ", conditions), parameters);
    }
}
