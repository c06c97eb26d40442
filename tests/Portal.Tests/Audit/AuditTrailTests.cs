using System.Data.Common;
using Dapper;
using Portal.Audit;
using Portal.Data;
using Portal.Uploads;
using static Portal.Data.StorageProvider;

namespace Portal.Tests.Audit;

/// <summary>The audit trail on a real SQLite file and a real PostgreSQL database: schema, append-only rows, the HMAC chain and its verification.</summary>
public sealed class AuditTrailTests
{
    /// <summary>Replicas starting together on an empty database: the migration lock lets one migrate, the others find it done.</summary>
    [Theory, Store(Sqlite), Store(PostgreSql)]
    public async Task Migrations_build_the_schema_from_an_empty_database_once_even_when_replicas_start_together(StorageProvider provider)
    {
        using var storage = await TestStorage.CreateUnmigratedAsync(provider);

        await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(storage.MigrateAsync)));
        await storage.MigrateAsync();

        await using var connection = await storage.Connections.OpenAsync();
        var versions = await connection.QueryAsync<long>("SELECT version FROM schema_migrations ORDER BY version");
        Assert.Equal(DatabaseMigrator.EmbeddedMigrations(provider).Select(m => m.Version), versions);
        Assert.True((await storage.Integrity.VerifyAsync()).Intact);
        if (provider == Sqlite)
        {
            Assert.Equal("wal", await connection.ExecuteScalarAsync<string>("PRAGMA journal_mode"));
        }
    }

    public static TheoryData<string, string> Refusals => new()
    {
        { "UPDATE uploads SET file_name = 'other.txt'", "uploads is append-only" },
        { "DELETE FROM uploads", "uploads is append-only" },
        { "UPDATE audit_events SET kind = 'sent'", "audit_events is append-only" },
        { "DELETE FROM audit_events", "audit_events is append-only" },
    };

    /// <summary>SQLite's triggers refuse; on PostgreSQL the portal's role has no such grant to begin with (its triggers: <see cref="Data.AppendOnlyTests"/>).</summary>
    [Theory, Store(Sqlite, nameof(Refusals)), Store(PostgreSql, nameof(Refusals))]
    public async Task Recorded_rows_cannot_be_changed_or_removed(StorageProvider provider, string statement, string message)
    {
        using var storage = await TestStorage.CreateAsync(provider);
        await storage.RecordAsync(TestStorage.Upload());
        await using var connection = await storage.Connections.OpenAsync();

        var exception = await Assert.ThrowsAnyAsync<DbException>(() => connection.ExecuteAsync(statement));

        Assert.Contains(provider == Sqlite ? message : "permission denied for table", exception.Message, StringComparison.Ordinal);
    }

    [Theory, Store(Sqlite), Store(PostgreSql)]
    public async Task A_recorded_upload_reads_back_exactly_with_its_events(StorageProvider provider)
    {
        using var storage = await TestStorage.CreateAsync(provider);
        var receivedAt = new DateTime(2026, 11, 25, 8, 30, 15, 123, DateTimeKind.Utc);
        var upload = await storage.RecordAsync(TestStorage.Upload(receivedAt: receivedAt));
        await storage.SendAsync(upload, 4242);

        var entry = (await storage.Search.FindAsync(upload.Id))!;
        var events = await storage.Search.EventsOfAsync(upload.Id);

        Assert.Equal(upload, entry.Upload);
        Assert.Equal(DateTimeKind.Utc, entry.Upload.ReceivedAt.Kind);
        Assert.Equal((UploadStatus.Sent, 4242L, SendVariant.Original, 1), (entry.State.Status, entry.State.TencentUploadId, entry.State.SentVariant, entry.State.Attempts));
        Assert.Equal(["received", "validated", "confirmed", "sending", "sent"], events.Select(e => e.Kind));
        Assert.Contains("\"tencentUploadId\":4242", events[^1].Data, StringComparison.Ordinal);
    }

    [Theory, Store(Sqlite), Store(PostgreSql)]
    public async Task An_untouched_trail_verifies_as_intact(StorageProvider provider)
    {
        using var storage = await TestStorage.CreateAsync(provider);
        for (var i = 0; i < 5; i++)
        {
            await storage.SendAsync(await storage.RecordAsync(TestStorage.Upload($"file-{i}.txt")), 100 + i);
        }

        await storage.Trail.AppendAsync(new AuditActor("dev-aaron", "Aaron Auditor"), new SignedIn(["Auditor"], null));

        var report = await storage.Integrity.VerifyAsync();

        Assert.True(report.Intact, report.FirstProblem);
        Assert.Equal((26L, 5L, 26L), (report.EventsChecked, report.UploadsChecked, report.LastSeq));
    }

    public static TheoryData<string, string> Tampering => new()
    {
        { "UPDATE audit_events SET data = replace(data, '4242', '9999') WHERE kind = 'sent'", "event #5 (sent at" },
        { "UPDATE uploads SET file_name = 'innocent.txt'", "was altered: it no longer matches the fingerprint" },
        { "DELETE FROM audit_events WHERE seq = 3", "event #3 is missing" },
        { "DELETE FROM audit_events WHERE seq >= 6", "the newest events were removed" },
        { "UPDATE upload_state SET tencent_upload_id = 1", "shows tencent_upload_id = 1, but its events say" },
        { "INSERT INTO audit_events (seq, occurred_at, kind, actor_id, actor_name, upload_id, data, chain) SELECT 99, occurred_at, kind, actor_id, actor_name, upload_id, data, chain FROM audit_events WHERE seq = 5", "event #8 to #98 is missing" },
    };

    [Theory, Store(Sqlite, nameof(Tampering)), Store(PostgreSql, nameof(Tampering))]
    public async Task Editing_the_database_behind_the_portals_back_is_caught_and_named(StorageProvider provider, string tampering, string expected)
    {
        using var storage = await TestStorage.CreateAsync(provider);
        var first = await storage.RecordAsync(TestStorage.Upload("first.txt"));
        await storage.SendAsync(first, 4242);
        await storage.RecordAsync(TestStorage.Upload("second.txt"));
        Assert.True((await storage.Integrity.VerifyAsync()).Intact);

        await storage.TamperAsync(tampering);
        var report = await storage.Integrity.VerifyAsync();

        Assert.False(report.Intact);
        Assert.Contains(expected, report.FirstProblem, StringComparison.Ordinal);
    }

    [Theory, Store(Sqlite), Store(PostgreSql)]
    public async Task A_chain_rebuilt_without_the_key_is_caught(StorageProvider provider)
    {
        using var storage = await TestStorage.CreateAsync(provider);
        var upload = await storage.RecordAsync(TestStorage.Upload());
        await storage.SendAsync(upload, 4242);
        var forger = new AuditChain(new byte[32]);
        await using (var connection = await storage.Connections.OpenAsync())
        {
            var events = (await connection.QueryAsync<(long Seq, string OccurredAt, string Kind, string ActorId, string ActorName, string? UploadId, string Data)>(
                "SELECT seq, occurred_at, kind, actor_id, actor_name, upload_id, data FROM audit_events ORDER BY seq")).ToList();
            var previous = AuditChain.Genesis;
            var statements = new List<string>();
            foreach (var e in events)
            {
                var data = e.Kind == "sent" ? e.Data.Replace("4242", "9999", StringComparison.Ordinal) : e.Data;
                previous = forger.Link(previous, e.Seq, e.OccurredAt, e.Kind, e.ActorId, e.ActorName, e.UploadId, data);
                statements.Add($"UPDATE audit_events SET data = '{data}', chain = '{previous}' WHERE seq = {e.Seq}");
            }

            await storage.TamperAsync(string.Join(";\n", statements));
        }

        var report = await storage.Integrity.VerifyAsync();

        Assert.False(report.Intact);
        Assert.Contains("event #1 (received at", report.FirstProblem, StringComparison.Ordinal);
    }

    [Theory, Store(Sqlite), Store(PostgreSql)]
    public async Task Concurrent_writers_never_fork_the_chain_and_only_one_sender_wins(StorageProvider provider)
    {
        using var storage = await TestStorage.CreateAsync(provider);
        var upload = await storage.RecordAsync(TestStorage.Upload());
        var actor = new AuditActor("dev-mia", "Mia");
        var confirm = new SendConfirmed(SendVariant.Original, upload.Sha256, upload.FileSize, upload.ValidCount);

        var sends = Enumerable.Range(0, 8).Select(_ => Task.Run(async () => await storage.RecordAsync(upload.Id, actor, confirm) is not null));
        var others = Enumerable.Range(0, 24).Select(i => Task.Run(async () =>
        {
            await storage.Trail.AppendAsync(new AuditActor($"user-{i}", "User"), new SignedIn([], null));
            return false;
        }));
        var results = await Task.WhenAll(sends.Concat(others));

        Assert.Equal(1, results.Count(won => won));
        var report = await storage.Integrity.VerifyAsync();
        Assert.True(report.Intact, report.FirstProblem);
        Assert.Equal(2 + 1 + 24, report.EventsChecked);
    }

    [Theory, Store(Sqlite), Store(PostgreSql)]
    public async Task A_rejected_upload_cannot_be_queued_or_sent(StorageProvider provider)
    {
        using var storage = await TestStorage.CreateAsync(provider);
        var upload = await storage.RecordAsync(TestStorage.Upload(accepted: false));
        var actor = new AuditActor("dev-mia", "Mia");

        var confirmed = await storage.RecordAsync(upload.Id, actor, new SendConfirmed(SendVariant.Original, upload.Sha256, upload.FileSize, 1));
        var started = await storage.RecordAsync(upload.Id, AuditActor.System, new SendStarted(1));

        Assert.Null(confirmed);
        Assert.Null(started);
        Assert.Equal(UploadStatus.Rejected, (await storage.Search.FindAsync(upload.Id))!.State.Status);
        Assert.Equal(2, (await storage.Search.EventsOfAsync(upload.Id)).Count);
    }
}
