using Dapper;
using Microsoft.Data.Sqlite;
using Portal.Audit;
using Portal.Data;
using Portal.Uploads;

namespace Portal.Tests.Audit;

/// <summary>The audit trail on a real SQLite file: schema, append-only triggers, the HMAC chain and its verification.</summary>
public sealed class AuditTrailTests : IAsyncLifetime
{
    private TestStorage _storage = default!;

    public async Task InitializeAsync() => _storage = await TestStorage.CreateAsync();

    public Task DisposeAsync()
    {
        _storage.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Migrations_build_the_schema_from_an_empty_file_once()
    {
        await _storage.MigrateAsync();

        await using var connection = await _storage.Connections.OpenAsync();
        var versions = await connection.QueryAsync<long>("SELECT version FROM schema_migrations");
        Assert.Equal(DatabaseMigrator.EmbeddedMigrations().Select(m => m.Version), versions);
        Assert.Equal("wal", await connection.ExecuteScalarAsync<string>("PRAGMA journal_mode"));
    }

    [Theory]
    [InlineData("UPDATE uploads SET file_name = 'other.txt'", "uploads is append-only")]
    [InlineData("DELETE FROM uploads", "uploads is append-only")]
    [InlineData("UPDATE audit_events SET kind = 'sent'", "audit_events is append-only")]
    [InlineData("DELETE FROM audit_events", "audit_events is append-only")]
    public async Task Recorded_rows_cannot_be_changed_or_removed(string statement, string message)
    {
        await _storage.RecordAsync(TestStorage.Upload());
        await using var connection = await _storage.Connections.OpenAsync();

        var exception = await Assert.ThrowsAsync<SqliteException>(() => connection.ExecuteAsync(statement));

        Assert.Contains(message, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_recorded_upload_reads_back_exactly_with_its_events()
    {
        var receivedAt = new DateTime(2026, 11, 25, 8, 30, 15, 123, DateTimeKind.Utc);
        var upload = await _storage.RecordAsync(TestStorage.Upload(receivedAt: receivedAt));
        await _storage.SendAsync(upload, 4242);

        var entry = (await _storage.Search.FindAsync(upload.Id))!;
        var events = await _storage.Search.EventsOfAsync(upload.Id);

        Assert.Equal(upload, entry.Upload);
        Assert.Equal(DateTimeKind.Utc, entry.Upload.ReceivedAt.Kind);
        Assert.Equal((UploadStatus.Sent, 4242L, SendVariant.Original, 1), (entry.State.Status, entry.State.TencentUploadId, entry.State.SentVariant, entry.State.Attempts));
        Assert.Equal(["received", "validated", "confirmed", "sending", "sent"], events.Select(e => e.Kind));
        Assert.Contains("\"tencentUploadId\":4242", events[^1].Data, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_untouched_trail_verifies_as_intact()
    {
        for (var i = 0; i < 5; i++)
        {
            await _storage.SendAsync(await _storage.RecordAsync(TestStorage.Upload($"file-{i}.txt")), 100 + i);
        }

        await _storage.Trail.AppendAsync(new AuditActor("dev-aaron", "Aaron Auditor"), new SignedIn(["Auditor"], null));

        var report = await _storage.Integrity.VerifyAsync();

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

    [Theory]
    [MemberData(nameof(Tampering))]
    public async Task Editing_the_file_behind_the_portals_back_is_caught_and_named(string tampering, string expected)
    {
        var first = await _storage.RecordAsync(TestStorage.Upload("first.txt"));
        await _storage.SendAsync(first, 4242);
        await _storage.RecordAsync(TestStorage.Upload("second.txt"));
        Assert.True((await _storage.Integrity.VerifyAsync()).Intact);

        _storage.Sqlite3($"""
            DROP TRIGGER uploads_no_update; DROP TRIGGER uploads_no_delete;
            DROP TRIGGER audit_events_no_update; DROP TRIGGER audit_events_no_delete;
            {tampering};
            """);
        var report = await _storage.Integrity.VerifyAsync();

        Assert.False(report.Intact);
        Assert.Contains(expected, report.FirstProblem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_chain_rebuilt_without_the_key_is_caught()
    {
        var upload = await _storage.RecordAsync(TestStorage.Upload());
        await _storage.SendAsync(upload, 4242);
        var forger = new AuditChain(new byte[32]);
        await using (var connection = await _storage.Connections.OpenAsync())
        {
            var events = (await connection.QueryAsync<(long Seq, string OccurredAt, string Kind, string ActorId, string ActorName, string? UploadId, string Data)>(
                "SELECT seq, occurred_at, kind, actor_id, actor_name, upload_id, data FROM audit_events ORDER BY seq")).ToList();
            var previous = AuditChain.Genesis;
            var statements = new List<string> { "DROP TRIGGER audit_events_no_update" };
            foreach (var e in events)
            {
                var data = e.Kind == "sent" ? e.Data.Replace("4242", "9999", StringComparison.Ordinal) : e.Data;
                previous = forger.Link(previous, e.Seq, e.OccurredAt, e.Kind, e.ActorId, e.ActorName, e.UploadId, data);
                statements.Add($"UPDATE audit_events SET data = '{data}', chain = '{previous}' WHERE seq = {e.Seq}");
            }

            _storage.Sqlite3(string.Join(";\n", statements) + ";");
        }

        var report = await _storage.Integrity.VerifyAsync();

        Assert.False(report.Intact);
        Assert.Contains("event #1 (received at", report.FirstProblem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Concurrent_writers_never_fork_the_chain_and_only_one_sender_wins()
    {
        var upload = await _storage.RecordAsync(TestStorage.Upload());
        var actor = new AuditActor("dev-mia", "Mia");
        var confirm = new SendConfirmed(SendVariant.Original, upload.Sha256, upload.FileSize, upload.ValidCount);

        var sends = Enumerable.Range(0, 8).Select(_ => Task.Run(async () => await _storage.RecordAsync(upload.Id, actor, confirm) is not null));
        var others = Enumerable.Range(0, 24).Select(i => Task.Run(async () =>
        {
            await _storage.Trail.AppendAsync(new AuditActor($"user-{i}", "User"), new SignedIn([], null));
            return false;
        }));
        var results = await Task.WhenAll(sends.Concat(others));

        Assert.Equal(1, results.Count(won => won));
        var report = await _storage.Integrity.VerifyAsync();
        Assert.True(report.Intact, report.FirstProblem);
        Assert.Equal(2 + 1 + 24, report.EventsChecked);
    }

    [Fact]
    public async Task A_rejected_upload_cannot_be_queued_or_sent()
    {
        var upload = await _storage.RecordAsync(TestStorage.Upload(accepted: false));
        var actor = new AuditActor("dev-mia", "Mia");

        var confirmed = await _storage.RecordAsync(upload.Id, actor, new SendConfirmed(SendVariant.Original, upload.Sha256, upload.FileSize, 1));
        var started = await _storage.RecordAsync(upload.Id, AuditActor.System, new SendStarted(1));

        Assert.Null(confirmed);
        Assert.Null(started);
        Assert.Equal(UploadStatus.Rejected, (await _storage.Search.FindAsync(upload.Id))!.State.Status);
        Assert.Equal(2, (await _storage.Search.EventsOfAsync(upload.Id)).Count);
    }
}
