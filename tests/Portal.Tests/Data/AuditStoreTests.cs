using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Portal.Audit;
using Portal.Data;

namespace Portal.Tests.Data;

public sealed class AuditStoreTests : IAsyncLifetime
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
        await new DatabaseMigrator(_storage.Connections, NullLogger<DatabaseMigrator>.Instance).MigrateAsync();

        await using var connection = await _storage.Connections.OpenAsync();
        var versions = await connection.QueryAsync<long>("SELECT version FROM schema_migrations");
        Assert.Equal(DatabaseMigrator.EmbeddedMigrations().Select(m => m.Version), versions);
        Assert.Equal("wal", await connection.ExecuteScalarAsync<string>("PRAGMA journal_mode"));
    }

    [Theory]
    [InlineData("UPDATE uploads SET file_name = 'other.txt'", "uploads is append-only")]
    [InlineData("DELETE FROM uploads", "uploads is append-only")]
    [InlineData("UPDATE upload_events SET kind = 'sent'", "upload_events is append-only")]
    [InlineData("DELETE FROM upload_events", "upload_events is append-only")]
    public async Task Recorded_rows_cannot_be_changed_or_removed(string statement, string message)
    {
        await RecordAsync(accepted: true);
        await using var connection = await _storage.Connections.OpenAsync();

        var exception = await Assert.ThrowsAsync<SqliteException>(() => connection.ExecuteAsync(statement));

        Assert.Contains(message, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_recorded_upload_reads_back_exactly()
    {
        var receivedAt = new DateTime(2026, 11, 25, 8, 30, 15, 123, DateTimeKind.Utc);
        var id = await RecordAsync(accepted: true, receivedAt);

        var entry = (await _storage.Audit.FindAsync(id))!;

        Assert.Equal(id, entry.Id);
        Assert.Equal(receivedAt, entry.ReceivedAt);
        Assert.Equal(DateTimeKind.Utc, entry.ReceivedAt.Kind);
        Assert.Equal(("dev-mia", "Mia Marketing", "mia@example.com"), (entry.UserId, entry.UserName, entry.UserEmail));
        Assert.Equal(UploadEventKind.Accepted, entry.Status);
    }

    [Fact]
    public async Task Only_one_of_two_concurrent_senders_moves_an_upload_on()
    {
        var id = await RecordAsync(accepted: true);
        var sending = new NewUploadEvent(id, DateTime.UtcNow, UploadEventKind.Sending, "dev-mia");

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ =>
            Task.Run(() => _storage.Audit.TryAppendEventAsync(sending, UploadEventKind.Accepted))));

        Assert.Single(results, won => won);
        await using var connection = await _storage.Connections.OpenAsync();
        Assert.Equal(1, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM upload_events WHERE kind = 'sending'"));
    }

    [Fact]
    public async Task A_rejected_upload_cannot_be_moved_to_sending()
    {
        var id = await RecordAsync(accepted: false);

        var moved = await _storage.Audit.TryAppendEventAsync(new NewUploadEvent(id, DateTime.UtcNow, UploadEventKind.Sending, "dev-mia"), UploadEventKind.Accepted);

        Assert.False(moved);
        Assert.Equal(UploadEventKind.Rejected, (await _storage.Audit.FindAsync(id))!.Status);
    }

    private async Task<Guid> RecordAsync(bool accepted, DateTime? receivedAt = null)
    {
        var id = Guid.NewGuid();
        await _storage.Audit.RecordReceivedAsync(new NewUpload(id, receivedAt ?? DateTime.UtcNow, "dev-mia", "Mia Marketing", "mia@example.com",
            "Campaigns", "accounts.txt", 12, new string('a', 64), 2, accepted, accepted ? "2 accounts, no problems" : "1 problem(s)"));
        return id;
    }
}
