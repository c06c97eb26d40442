using System.Globalization;
using Dapper;
using Portal.Data;

namespace Portal.Audit;

/// <summary>What one Tencent app saw on one UTC day: uploads received, accounts sent, sends failed.</summary>
public sealed record AppDayActivity(DateOnly Day, string App, long Uploads, long AccountsSent, long Failures);

/// <summary>The dashboard's counts, per UTC day and per Tencent app, from the trail's events.</summary>
public sealed class AppActivity(PortalDatabase connections)
{
    private const string SelectByDayAndApp = """
        SELECT substr(e.occurred_at, 1, 10) AS Day, u.tencent_app AS App,
               SUM(CASE WHEN e.kind = 'received' THEN 1 ELSE 0 END) AS Uploads,
               CAST(COALESCE(SUM(CASE WHEN e.kind = 'sent' THEN s.sent_accounts END), 0) AS BIGINT) AS AccountsSent,
               SUM(CASE WHEN e.kind = 'failed' THEN 1 ELSE 0 END) AS Failures
        FROM audit_events e
        JOIN uploads u ON u.id = e.upload_id
        LEFT JOIN upload_state s ON s.upload_id = e.upload_id
        WHERE e.kind IN ('received', 'sent', 'failed') AND e.occurred_at >= @Since
        GROUP BY substr(e.occurred_at, 1, 10), u.tencent_app
        ORDER BY Day, App
        """;

    /// <summary>Every (day, app) with something to count, from <paramref name="since"/> (a UTC day) on.</summary>
    public async Task<IReadOnlyList<AppDayActivity>> SinceAsync(DateOnly since, CancellationToken cancellationToken = default)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string Day, string App, long Uploads, long AccountsSent, long Failures)>(new CommandDefinition(
            SelectByDayAndApp, new { Since = since.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) }, cancellationToken: cancellationToken));
        return rows.Select(r => new AppDayActivity(DateOnly.ParseExact(r.Day, "yyyy-MM-dd", CultureInfo.InvariantCulture), r.App, r.Uploads, r.AccountsSent, r.Failures))
            .ToList();
    }

    /// <summary>The counts of <paramref name="rows"/> added up, as one row for <paramref name="day"/> and <paramref name="app"/>.</summary>
    public static AppDayActivity Total(DateOnly day, string app, IEnumerable<AppDayActivity> rows)
    {
        var all = rows.ToList();
        return new AppDayActivity(day, app, all.Sum(a => a.Uploads), all.Sum(a => a.AccountsSent), all.Sum(a => a.Failures));
    }
}
