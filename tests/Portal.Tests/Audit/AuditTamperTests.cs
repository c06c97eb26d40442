using Dapper;
using Portal.Audit;
using Portal.Data;
using Portal.Uploads;
using static Portal.Data.StorageProvider;

namespace Portal.Tests.Audit;

/// <summary>
/// Each column of one event in the middle of a real trail, changed behind the portal's back with the triggers out of the
/// way (<see cref="TestStorage.TamperAsync"/>: as an intruder with the file or the owner's password would), is found by
/// "Verify integrity", which names that event. Every changed value is one that no other check looks at, so only the HMAC
/// link can catch it. On SQLite and on PostgreSQL.
/// </summary>
public sealed class AuditTamperTests
{
    /// <summary>Column, the event changed (the one the report must name), and the change.</summary>
    public static TheoryData<string, long, string> Tampering => new()
    {
        // Swapped with the next event: no gap, so the gap check passes. Even without seq in the HMAC this is caught, by the
        // previous link each event's HMAC covers (the event now at #4 was linked after #4, not #3); AuditChainTests pins seq itself.
        { "seq", 4, "UPDATE audit_events SET seq = -4 WHERE seq = 4; UPDATE audit_events SET seq = 4 WHERE seq = 5; UPDATE audit_events SET seq = 5 WHERE seq = -4" },
        // Still a well-formed time, only earlier: nothing but the link covers event times.
        { "occurred_at", 5, "UPDATE audit_events SET occurred_at = '2001' || substr(occurred_at, 5) WHERE seq = 5" },
        // "confirmed" → "retried": a status kind, but not the upload's latest one (#6 "sent"), so the status check still agrees.
        { "kind", 4, "UPDATE audit_events SET kind = 'retried' WHERE seq = 4" },
        { "actor_id", 5, "UPDATE audit_events SET actor_id = 'dev-olivia' WHERE seq = 5" },
        { "actor_name", 5, "UPDATE audit_events SET actor_name = 'Olivia Owner' WHERE seq = 5" },
        // A download moved to the other upload: not a "received" event (fingerprint check) nor a status (status check).
        { "upload_id", 9, "UPDATE audit_events SET upload_id = (SELECT id FROM uploads WHERE file_name = 'second.txt') WHERE seq = 9" },
        // The variant chosen: upload_state keeps it too, but the status check does not compare it.
        { "data", 4, "UPDATE audit_events SET data = replace(data, '\"variant\":\"original\"', '\"variant\":\"clean\"') WHERE seq = 4" },
        // A well-formed link, just not this event's.
        { "chain", 5, "UPDATE audit_events SET chain = (SELECT chain FROM audit_events WHERE seq = 4) WHERE seq = 5" },
    };

    [Theory, Store(Sqlite, nameof(Tampering)), Store(PostgreSql, nameof(Tampering))]
    public async Task Changing_one_column_of_one_event_is_caught_and_names_that_event(StorageProvider provider, string column, long seq, string tampering)
    {
        using var storage = await TestStorage.CreateAsync(provider);
        await RecordTrailAsync(storage);
        var before = await storage.Integrity.VerifyAsync();
        Assert.True(before.Intact, before.FirstProblem);
        Assert.Equal(10, before.EventsChecked);

        await storage.TamperAsync(tampering);
        Assert.True(await ChangedAsync(storage, column), $"the tampering did not change {column}");
        var report = await storage.Integrity.VerifyAsync();

        Assert.False(report.Intact);
        Assert.StartsWith($"event #{seq} (", report.FirstProblem, StringComparison.Ordinal);
        Assert.Contains("was altered or forged", report.FirstProblem, StringComparison.Ordinal);
        Assert.Equal(seq - 1, report.EventsChecked);
    }

    [Theory, Store(Sqlite), Store(PostgreSql)]
    public async Task Every_column_of_audit_events_has_a_tampering_case(StorageProvider provider)
    {
        using var storage = await TestStorage.CreateAsync(provider);
        var columns = await storage.ColumnsOfAsync("audit_events");

        Assert.Equal(columns.Order(StringComparer.Ordinal), Tampering.Select(row => (string)row[0]).Order(StringComparer.Ordinal));
    }

    /// <summary>
    /// 1 received, 2 validated (first.txt, Mia); 3 signed-in (Aaron); 4 confirmed, 5 sending, 6 sent (first.txt);
    /// 7 received, 8 validated (second.txt, Olivia); 9 problem report of first.txt downloaded (Aaron); 10 signed-out (Aaron).
    /// </summary>
    private static async Task RecordTrailAsync(TestStorage storage)
    {
        var aaron = new AuditActor("dev-aaron", "Aaron Auditor");
        var first = await storage.RecordAsync(TestStorage.Upload("first.txt"));
        await storage.Trail.AppendAsync(aaron, new SignedIn(["Auditor"], null));
        await storage.SendAsync(first, 4242);
        await storage.RecordAsync(TestStorage.Upload("second.txt", userId: "dev-olivia") with { UserName = "Olivia Owner" });
        await storage.Trail.AppendAsync(aaron, new ProblemReportDownloaded(), first.Id);
        await storage.Trail.AppendAsync(aaron, new SignedOut());
    }

    /// <summary>Guards the cases themselves: a statement that matched nothing would make the test pass for the wrong reason.</summary>
    private static async Task<bool> ChangedAsync(TestStorage storage, string column)
    {
        await using var connection = await storage.Connections.OpenAsync();
        return column switch
        {
            "seq" => await connection.ExecuteScalarAsync<string>("SELECT kind FROM audit_events WHERE seq = 4") == "sending",
            "occurred_at" => (await connection.ExecuteScalarAsync<string>("SELECT occurred_at FROM audit_events WHERE seq = 5"))!.StartsWith("2001-", StringComparison.Ordinal),
            "kind" => await connection.ExecuteScalarAsync<string>("SELECT kind FROM audit_events WHERE seq = 4") == "retried",
            "actor_id" => await connection.ExecuteScalarAsync<string>("SELECT actor_id FROM audit_events WHERE seq = 5") == "dev-olivia",
            "actor_name" => await connection.ExecuteScalarAsync<string>("SELECT actor_name FROM audit_events WHERE seq = 5") == "Olivia Owner",
            "upload_id" => await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM audit_events e JOIN uploads u ON u.id = e.upload_id WHERE e.seq = 9 AND u.file_name = 'second.txt'") == 1,
            "data" => (await connection.ExecuteScalarAsync<string>("SELECT data FROM audit_events WHERE seq = 4"))!.Contains("\"variant\":\"clean\"", StringComparison.Ordinal),
            "chain" => await connection.ExecuteScalarAsync<long>("SELECT COUNT(DISTINCT chain) FROM audit_events WHERE seq IN (4, 5)") == 1,
            _ => throw new ArgumentOutOfRangeException(nameof(column), column, null),
        };
    }
}
