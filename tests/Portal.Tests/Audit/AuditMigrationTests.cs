using Dapper;
using Portal.Audit;
using Portal.Data;

namespace Portal.Tests.Audit;

/// <summary>
/// A database written by the first schema (<c>Fixtures/audit-v1.sql</c>, a <c>sqlite3 .dump</c> of a trail that the code of
/// that time recorded: see the generator in commit 1f0ff93) must still verify intact after every later migration, with
/// the same chain key. Never regenerate the fixture: its worth is that the old code wrote it.
/// </summary>
public sealed class AuditMigrationTests
{
    /// <summary>The chain key the fixture was written with: bytes 1 to 32. Only for fixtures, never for a portal.</summary>
    private static readonly byte[] FixtureChainKey = [.. Enumerable.Range(1, 32).Select(i => (byte)i)];

    private const string FixtureFile = "audit-v1.sql";
    private const long FixtureEvents = 47;
    private const long FixtureUploads = 9;

    [Fact]
    public async Task A_database_written_by_the_first_schema_migrates_and_verifies_intact()
    {
        using var storage = await MigratedFixtureAsync();
        var report = await storage.Integrity.VerifyAsync();

        Assert.True(report.Intact, report.FirstProblem);
        Assert.Equal((FixtureEvents, FixtureUploads, FixtureEvents), (report.EventsChecked, report.UploadsChecked, report.LastSeq!.Value));
        await using var check = await storage.Connections.OpenAsync();
        Assert.Equal(DatabaseMigrator.EmbeddedMigrations(StorageProvider.Sqlite).Select(m => m.Version), await check.QueryAsync<long>("SELECT version FROM schema_migrations ORDER BY version"));
        var statuses = (await check.QueryAsync<(string Status, long Count)>("SELECT status, COUNT(*) FROM upload_state GROUP BY status ORDER BY status")).ToList();
        Assert.Equal([("failed", 1L), ("interrupted", 1L), ("rejected", 1L), ("sent", 3L), ("validated", 3L)], statuses);
    }

    [Fact]
    public async Task Migration_6_fills_the_user_search_from_an_existing_trail_and_later_uploads_keep_it_current()
    {
        using var storage = await MigratedFixtureAsync();

        await using var check = await storage.Connections.OpenAsync();
        var users = (await check.QueryAsync<(string Id, string Name, string? Email)>("SELECT user_id, user_name, user_email FROM audit_users ORDER BY user_id")).ToList();
        Assert.Equal(
            [("dev-aaron", "Aaron Auditor", null), ("dev-mia", "Mia Marketing", "mia@example.com"), ("dev-olivia", "Olivia Owner", "olivia@example.com"), ("dev-zhangwei", "张伟", null), ("system", "Portal", null)],
            users);
        Assert.Equal(["dev-zhangwei"], await AuditUsers.MatchingIdsAsync(check, StorageProvider.Sqlite, "张", CancellationToken.None));

        await storage.RecordAsync(TestStorage.Upload("new.txt", userId: "dev-aaron") with { UserEmail = "aaron@example.com" });

        Assert.Equal(["dev-aaron"], await AuditUsers.MatchingIdsAsync(check, StorageProvider.Sqlite, "AARON@", CancellationToken.None));
        Assert.Equal(["dev-aaron"], (await storage.Search.SearchAsync(new AuditFilter { User = "aaron@" }, 0, 25)).Items.Select(entry => entry.Upload.UserId));
    }

    /// <summary>The fixture as the first schema wrote it, then every migration since.</summary>
    private static async Task<TestStorage> MigratedFixtureAsync()
    {
        var storage = TestStorage.CreateUnmigrated(FixtureChainKey);
        var dump = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Audit", "Fixtures", FixtureFile));
        await using (var connection = await storage.Connections.OpenAsync())
        {
            await connection.ExecuteAsync(dump);
            Assert.Equal([1L], await connection.QueryAsync<long>("SELECT version FROM schema_migrations"));
        }

        await storage.MigrateAsync();
        return storage;
    }
}
