using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Portal.Audit;
using Portal.Data;
using Portal.Uploads;

namespace Portal.Tests;

/// <summary>
/// A real store, schema migrated (unless made unmigrated), and a staging folder in a fresh temporary directory: a SQLite
/// file there, or a PostgreSQL database of its own (<see cref="TestPostgres"/>).
/// </summary>
public sealed class TestStorage : IDisposable
{
    private readonly string? _postgreSqlDatabase;

    private TestStorage(string directory, byte[]? chainKey, TimeProvider? clock, (string App, string Owner, string Name)? postgreSql = null)
    {
        Options = Microsoft.Extensions.Options.Options.Create(new StorageOptions
        {
            DataDirectory = directory,
            Provider = postgreSql is null ? nameof(StorageProvider.Sqlite) : nameof(StorageProvider.PostgreSql),
            ConnectionString = postgreSql?.App,
            MigrationConnectionString = postgreSql?.Owner,
        });
        _postgreSqlDatabase = postgreSql?.Name;
        Directory.CreateDirectory(Options.Value.StagingDirectory);
        Connections = PortalDatabase.Create(Options.Value);
        Chain = new AuditChain(chainKey ?? System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        Trail = new AuditTrail(Connections, Chain, clock ?? TimeProvider.System);
        Store = new UploadStore(Trail, Changes);
        Search = new AuditSearch(Connections);
        Integrity = new AuditIntegrity(Connections, Chain);
    }

    public IOptions<StorageOptions> Options { get; }

    public PortalDatabase Connections { get; }

    public StorageProvider Provider => Connections.Provider;

    public AuditChain Chain { get; }

    public AuditTrail Trail { get; }

    public UploadChanges Changes { get; } = new();

    public UploadStore Store { get; }

    public AuditSearch Search { get; }

    public AuditIntegrity Integrity { get; }

    public string DatabasePath => Options.Value.DatabasePath;

    /// <summary>A received upload with sensible defaults; tests override what they look at.</summary>
    public static UploadRecord Upload(string fileName = "accounts.txt", bool accepted = true, DateTime? receivedAt = null, string userId = "dev-mia") => new()
    {
        Id = Guid.NewGuid(),
        ReceivedAt = receivedAt ?? DateTime.UtcNow,
        UserId = userId,
        UserName = "Mia Marketing",
        UserEmail = "mia@example.com",
        UserIssuer = "http://localhost:5080/",
        ClientIp = "127.0.0.1",
        UserAgent = "tests",
        TencentApp = "Campaigns",
        TencentRegion = "Guangzhou",
        PackageKind = "Account",
        FileName = fileName,
        FileSize = 12,
        Sha256 = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(fileName))),
        RowCount = 2,
        ValidCount = accepted ? 2 : 1,
        InvalidCount = accepted ? 0 : 1,
        DuplicateCount = 0,
        OriginalSendable = accepted,
        ValidationSummary = accepted ? "2 accounts, no problems" : "1 problem(s)",
        ValidationMs = 3,
        HeaderRow = false,
        BlankRowCount = 0,
    };

    public async Task<UploadRecord> RecordAsync(UploadRecord upload)
    {
        await Store.RecordReceivedAsync(upload, new AuditActor(upload.UserId, upload.UserName));
        return upload;
    }

    /// <summary>Moves an accepted upload through confirmed → sending → sent with the given Tencent uploadId, as the send worker would.</summary>
    public async Task SendAsync(UploadRecord upload, long tencentUploadId)
    {
        ArgumentNullException.ThrowIfNull(upload);
        var actor = new AuditActor(upload.UserId, upload.UserName);
        Assert.NotNull(await RecordAsync(upload.Id, actor, new SendConfirmed(SendVariant.Original, upload.Sha256, upload.FileSize, upload.ValidCount)));
        Assert.NotNull(await RecordAsync(upload.Id, AuditActor.System, new SendStarted(1)));
        Assert.NotNull(await RecordAsync(upload.Id, AuditActor.System, new SendSucceeded(tencentUploadId, 0, "", 200, null, 5, false)));
    }

    /// <summary>Mia's upload of <paramref name="content"/>, staged and validated for real as the upload endpoint does, and recorded with its verdict.</summary>
    public async Task<(UploadRecord Upload, Portal.Packages.ValidationReport Report)> ReceiveAsync(StagingStore staging, string fileName, string content, bool headerRow = false)
    {
        ArgumentNullException.ThrowIfNull(staging);
        var staged = (await staging.StageAsync(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(content)), CancellationToken.None))!;
        var report = Portal.Packages.PackageValidator.Validate(new Portal.Packages.ValidationRequest(fileName, FirstRowIsHeader: headerRow), staged.Path,
            new Portal.Packages.ValidationOutputs(staging.CleanPathOf(staged.Id), staging.ProblemReportPathOf(staged.Id)));
        var upload = await RecordAsync(Upload(fileName) with
        {
            Id = staged.Id, FileSize = staged.Size, Sha256 = staged.Sha256, RowCount = report.RowCount, ValidCount = report.ValidCount,
            InvalidCount = report.InvalidCount, DuplicateCount = report.DuplicateCount, OriginalSendable = report.OriginalSendable,
            CleanFileName = report.CleanPackage?.FileName, CleanSize = report.CleanPackage?.Size, CleanSha256 = report.CleanPackage?.Sha256,
            CleanAccountCount = report.CleanPackage?.AccountCount, ValidationSummary = report.Summary, HeaderRow = headerRow, BlankRowCount = report.BlankRowCount,
        });
        return (upload, report);
    }

    /// <summary>Records one event of an upload's life, if its life allows it now.</summary>
    public Task<UploadState?> RecordAsync(Guid uploadId, AuditActor actor, UploadEvent e) =>
        Store.WriteAsync(uploadId, writer => UploadStore.RecordAsync(writer, uploadId, actor, e));

    /// <summary>
    /// Runs SQL behind the portal's back with the append-only triggers out of the way, as an intruder would: on SQLite with
    /// the sqlite3 command-line shell on the file after dropping them, on PostgreSQL as the schema's owner after disabling them.
    /// </summary>
    public async Task TamperAsync(string sql)
    {
        if (_postgreSqlDatabase is null)
        {
            Sqlite3($"""
                DROP TRIGGER uploads_no_update; DROP TRIGGER uploads_no_delete;
                DROP TRIGGER audit_events_no_update; DROP TRIGGER audit_events_no_delete;
                {sql};
                """);
            return;
        }

        await using var owner = await OpenAsOwnerAsync();
        await owner.ExecuteAsync($"""
            ALTER TABLE uploads DISABLE TRIGGER USER; ALTER TABLE audit_events DISABLE TRIGGER USER;
            {sql};
            ALTER TABLE uploads ENABLE TRIGGER USER; ALTER TABLE audit_events ENABLE TRIGGER USER;
            """);
    }

    /// <summary>A connection as the schema's owner: the portal's own on SQLite, the migrating role on PostgreSQL (which may change rows the portal's role may not).</summary>
    public async Task<System.Data.Common.DbConnection> OpenAsOwnerAsync()
    {
        if (_postgreSqlDatabase is null)
        {
            return await Connections.OpenAsync();
        }

        var owner = new Npgsql.NpgsqlConnection(Options.Value.MigrationConnectionString);
        await owner.OpenAsync();
        return owner;
    }

    /// <summary>The columns of a table as the database describes them, in their order.</summary>
    public async Task<IReadOnlyList<string>> ColumnsOfAsync(string table)
    {
        await using var connection = await Connections.OpenAsync();
        return (await connection.QueryAsync<string>(Connections.Sql(
            "SELECT name FROM pragma_table_info(@Table) ORDER BY cid",
            "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = @Table ORDER BY ordinal_position"),
            new { Table = table })).AsList();
    }

    /// <summary>
    /// Runs SQL with the sqlite3 command-line shell, behind the portal's back, as an intruder with file access would;
    /// waiting for the file's lock, which a connection closed just before may still hold while it checkpoints.
    /// </summary>
    private void Sqlite3(string sql)
    {
        SqliteConnection.ClearAllPools();
        using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("sqlite3", ["-cmd", ".timeout 10000", DatabasePath, sql])
        {
            RedirectStandardError = true,
        })!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"sqlite3 failed: {error}");
    }

    /// <summary>A migrated SQLite database; by default with a random chain key and the system clock.</summary>
    public static Task<TestStorage> CreateAsync(byte[]? chainKey = null, TimeProvider? clock = null) =>
        CreateAsync(StorageProvider.Sqlite, chainKey, clock);

    /// <summary>A migrated database of <paramref name="provider"/>; by default with a random chain key and the system clock.</summary>
    public static async Task<TestStorage> CreateAsync(StorageProvider provider, byte[]? chainKey = null, TimeProvider? clock = null)
    {
        var storage = await CreateUnmigratedAsync(provider, chainKey, clock);
        await storage.MigrateAsync();
        return storage;
    }

    /// <summary>An empty database of <paramref name="provider"/>, no schema yet.</summary>
    public static async Task<TestStorage> CreateUnmigratedAsync(StorageProvider provider, byte[]? chainKey = null, TimeProvider? clock = null)
    {
        var directory = Directory.CreateTempSubdirectory("portal-storage-").FullName;
        return provider == StorageProvider.PostgreSql
            ? new TestStorage(directory, chainKey, clock, await TestPostgres.CreateDatabaseAsync())
            : new TestStorage(directory, chainKey, clock);
    }

    /// <summary>A fresh folder with no database file yet, for tests that bring their own (an older dump) before migrating.</summary>
    public static TestStorage CreateUnmigrated(byte[]? chainKey = null, TimeProvider? clock = null) =>
        new(Directory.CreateTempSubdirectory("portal-storage-").FullName, chainKey, clock);

    public Task MigrateAsync() => new DatabaseMigrator(Connections, [new UploadStateRebuild()], NullLogger<DatabaseMigrator>.Instance).MigrateAsync();

    public void Dispose()
    {
        if (Connections is PostgreSqlDatabase postgreSql)
        {
            postgreSql.Dispose();
            Npgsql.NpgsqlConnection.ClearAllPools();
            TestPostgres.DropDatabase(_postgreSqlDatabase!);
        }

        SqliteConnection.ClearAllPools();
        Directory.Delete(Options.Value.DataDirectory, recursive: true);
    }
}
