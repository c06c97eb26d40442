using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Portal.Audit;
using Portal.Data;
using Portal.Uploads;

namespace Portal.Tests;

/// <summary>A real SQLite file and staging folder in a fresh temporary directory, schema migrated (unless made unmigrated).</summary>
public sealed class TestStorage : IDisposable
{
    private TestStorage(string directory, byte[]? chainKey, TimeProvider? clock)
    {
        Options = Microsoft.Extensions.Options.Options.Create(new StorageOptions { DataDirectory = directory });
        Directory.CreateDirectory(Options.Value.StagingDirectory);
        Connections = new SqliteConnectionFactory(Options);
        Chain = new AuditChain(chainKey ?? System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        Trail = new AuditTrail(Connections, Chain, clock ?? TimeProvider.System);
        Store = new UploadStore(Trail, Changes);
        Search = new AuditSearch(Connections);
        Integrity = new AuditIntegrity(Connections, Chain);
    }

    public IOptions<StorageOptions> Options { get; }

    public SqliteConnectionFactory Connections { get; }

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

    /// <summary>Records one event of an upload's life, if its life allows it now.</summary>
    public Task<UploadState?> RecordAsync(Guid uploadId, AuditActor actor, UploadEvent e) =>
        Store.WriteAsync(uploadId, writer => UploadStore.RecordAsync(writer, uploadId, actor, e));

    /// <summary>Runs SQL with the sqlite3 command-line shell, behind the portal's back, as an intruder with file access would.</summary>
    public void Sqlite3(string sql)
    {
        SqliteConnection.ClearAllPools();
        using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("sqlite3", [DatabasePath, sql])
        {
            RedirectStandardError = true,
        })!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"sqlite3 failed: {error}");
    }

    /// <summary>A migrated database; by default with a random chain key and the system clock.</summary>
    public static async Task<TestStorage> CreateAsync(byte[]? chainKey = null, TimeProvider? clock = null)
    {
        var storage = CreateUnmigrated(chainKey, clock);
        await storage.MigrateAsync();
        return storage;
    }

    /// <summary>A fresh folder with no database file yet, for tests that bring their own (an older dump) before migrating.</summary>
    public static TestStorage CreateUnmigrated(byte[]? chainKey = null, TimeProvider? clock = null) =>
        new(Directory.CreateTempSubdirectory("portal-storage-").FullName, chainKey, clock);

    public Task MigrateAsync() => new DatabaseMigrator(Connections, [new UploadStateRebuild()], NullLogger<DatabaseMigrator>.Instance).MigrateAsync();

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(Options.Value.DataDirectory, recursive: true);
    }
}
