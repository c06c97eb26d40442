using System.Diagnostics;
using Dapper;
using Microsoft.Data.Sqlite;
using Portal.Audit;
using Portal.Data;

namespace Portal.Tests.Audit;

/// <summary>
/// A database written by the first schema (<c>Fixtures/audit-v1.sql</c>, a <c>sqlite3 .dump</c> made by the generator
/// below with the code of that time) must still verify intact after every later migration, with the same chain key.
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
        using var storage = TestStorage.CreateUnmigrated(FixtureChainKey);
        var dump = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Audit", "Fixtures", FixtureFile));
        await using (var connection = await storage.Connections.OpenAsync())
        {
            await connection.ExecuteAsync(dump);
            Assert.Equal([1L], await connection.QueryAsync<long>("SELECT version FROM schema_migrations"));
        }

        await storage.MigrateAsync();
        var report = await storage.Integrity.VerifyAsync();

        Assert.True(report.Intact, report.FirstProblem);
        Assert.Equal((FixtureEvents, FixtureUploads, FixtureEvents), (report.EventsChecked, report.UploadsChecked, report.LastSeq!.Value));
        await using var check = await storage.Connections.OpenAsync();
        Assert.Equal(DatabaseMigrator.EmbeddedMigrations().Select(m => m.Version), await check.QueryAsync<long>("SELECT version FROM schema_migrations ORDER BY version"));
        var statuses = (await check.QueryAsync<(string Status, long Count)>("SELECT status, COUNT(*) FROM upload_state GROUP BY status ORDER BY status")).ToList();
        Assert.Equal([("failed", 1L), ("interrupted", 1L), ("rejected", 1L), ("sent", 3L), ("validated", 3L)], statuses);
    }

    [Fact(Skip = "generator: run by hand")]
    public async Task Generate_the_v1_fixture()
    {
        // Run by hand only to write a new fixture (remove Skip, `dotnet test --filter Generate_the_v1_fixture`, put Skip
        // back). Never regenerate audit-v1.sql itself: its worth is that the code of its time wrote it.
        var clock = new SteppingClock(new DateTime(2026, 3, 2, 9, 0, 0, DateTimeKind.Utc));
        using var storage = await TestStorage.CreateAsync(FixtureChainKey, clock);
        await RecordFixtureTrailAsync(storage, clock);
        var report = await storage.Integrity.VerifyAsync();
        Assert.True(report.Intact, report.FirstProblem);
        Assert.Equal((FixtureEvents, FixtureUploads), (report.EventsChecked, report.UploadsChecked));

        SqliteConnection.ClearAllPools();
        using var sqlite3 = Process.Start(new ProcessStartInfo("sqlite3", [storage.DatabasePath, ".dump"]) { RedirectStandardOutput = true })!;
        var dump = await sqlite3.StandardOutput.ReadToEndAsync();
        await sqlite3.WaitForExitAsync();
        Assert.Equal(0, sqlite3.ExitCode);
        await File.WriteAllTextAsync(Path.Combine(SourceDirectory(), "Audit", "Fixtures", FixtureFile), dump);
    }

    /// <summary>Every kind of event and a spread of field values, through the AuditStore API, in the shapes the portal writes them.</summary>
    private static async Task RecordFixtureTrailAsync(TestStorage storage, TimeProvider clock)
    {
        var audit = storage.Audit;
        var mia = new AuditActor("dev-mia", "Mia Marketing");
        var olivia = new AuditActor("dev-olivia", "Olivia Owner");
        var zhang = new AuditActor("dev-zhangwei", "张伟");
        var aaron = new AuditActor("dev-aaron", "Aaron Auditor");
        DateTime Now() => clock.GetUtcNow().UtcDateTime;

        await audit.AppendAsync(AuditEventKinds.SignedIn, mia, null, new { roles = new[] { "Uploader" }, clientIp = "10.0.0.21" });

        var sent = await ReceiveAsync(storage, Upload("1f4b2c0e-8a3d-4c55-9e61-0a7b3c9d2e01", Now(), mia, "spring-campaign.txt", 1_300, 100));
        await SendAsync(audit, sent, mia, SendChoice.Original, outcomeKind: AuditEventKinds.Sent, new(3_100_001, 0, "", 200, null, 812, false));

        var rejected = await ReceiveAsync(storage, Upload("2a5c3d1f-9b4e-4d66-8f72-1b8c4dae3f02", Now(), mia, "bad-list.csv", 48, 4) with
        {
            ValidCount = 0,
            InvalidCount = 4,
            OriginalSendable = false,
            ValidationSummary = "4 rows, none valid: 4 have more than one column",
        });
        await audit.AppendAsync(AuditEventKinds.ProblemReportDownloaded, mia, rejected.Id, new { });

        var failed = await ReceiveAsync(storage, Upload("3b6d4e20-ac5f-4e77-9083-2c9d5ebf4003", Now(), zhang, "张伟.txt", 2_600, 200) with
        {
            UserEmail = null,
            UserAgent = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) 中文",
        });
        await SendAsync(audit, failed, zhang, SendChoice.Original, AuditEventKinds.Failed, new(null, 1008011, "upload file error", 200,
            "Tencent Push could not take the file (retCode 1008011: upload file error). Check that it is a UTF-8 .txt or a one-column .csv "
            + "(or a .zip holding exactly one of them and no folders) with one entry per line and under 100 MB, then upload it again.", 430, false));

        await audit.AppendAsync(AuditEventKinds.SignedIn, olivia, null, new { roles = new[] { "Auditor", "Uploader" }, clientIp = (string?)null });
        var interrupted = await ReceiveAsync(storage, Upload("4c7e5f31-bd60-4f88-a194-3dae6fc05104", Now(), olivia, "summer.csv", 9_100, 700) with
        {
            ClientIp = null,
            UserEmail = "olivia@example.com",
        });
        await SendAsync(audit, interrupted, olivia, SendChoice.Original, outcomeKind: null, details: null);
        Assert.True(await audit.TryAppendAsync(interrupted.Id, [AuditEventKinds.Sending], AuditActor.System,
            [(AuditEventKinds.Interrupted, new SendOutcomeDetails(null, null, null, null,
                "Interrupted: the portal stopped while sending. The package may or may not have arrived at Tencent.", 0, MayHaveArrived: true))]));

        var retried = await ReceiveAsync(storage, Upload("5d806042-ce71-4099-b2a5-4ebf70d16205", Now(), mia, "retry-me.txt", 650, 50));
        await SendAsync(audit, retried, mia, SendChoice.Original, AuditEventKinds.Failed, new(null, null, null, 503,
            "Tencent Push failed with HTTP 503: \"Service Unavailable\". Send the package again in a few minutes. The package may have reached Tencent anyway: "
            + "if you send it again, Tencent may keep two copies; use only the uploadId you are given.", 95, true));
        await audit.AppendAsync(AuditEventKinds.SignedIn, aaron, null, new { roles = new[] { "Auditor" }, clientIp = "10.0.0.7" });
        await SendAsync(audit, retried, aaron, SendChoice.Original, AuditEventKinds.Sent, new(3_100_002, 0, "", 200, null, 640, false),
            startKind: AuditEventKinds.Retried, attempt: 2, allowedFrom: AuditEventKinds.Retryable);

        var clean = await ReceiveAsync(storage, Upload("6e917153-df82-40aa-83b6-5fc081e27306", Now(), mia, "mixed.csv", 5_210, 400) with
        {
            ValidCount = 380,
            InvalidCount = 12,
            DuplicateCount = 8,
            OriginalSendable = false,
            CleanFileName = "mixed.clean.txt",
            CleanSize = 4_940,
            CleanSha256 = "c1ea2a0f5b7d4e8a9f0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f",
            CleanAccountCount = 372,
            ValidationSummary = "400 rows: 380 valid, 12 invalid, 8 duplicates; the clean package holds 372 accounts",
        });
        await SendAsync(audit, clean, mia, SendChoice.Clean, AuditEventKinds.Sent, new(3_100_003, 0, "", 200, null, 505, false));
        await audit.AppendAsync(AuditEventKinds.SentFileDownloaded, aaron, clean.Id, new { variant = SendChoice.Clean });

        var purged = await ReceiveAsync(storage, Upload("7fa08264-e093-41bb-94c7-60d192f38407", Now(), olivia, "tokens.txt", 3_700, 100) with
        {
            PackageKind = "Token",
            TencentRegion = "HongKong",
            TencentApp = "Campaigns (iOS)",
        });
        await ReceiveAsync(storage, Upload("80b19375-f1a4-42cc-a5d8-71e2a4050508", Now(), mia, "archive.zip", 1_024, 64) with { UserAgent = null });
        await ReceiveAsync(storage, Upload("91c2a486-02b5-43dd-b6e9-82f3b5161609", Now(), zhang, "名单 😀 (final).csv", 777, 33) with
        {
            UserEmail = null,
            ClientIp = "2001:db8::7",
        });
        await audit.AppendAsync(AuditEventKinds.StagedFilePurged, AuditActor.System, purged.Id, new { retentionDays = 7.0 });

        await audit.AppendAsync(AuditEventKinds.AuditExported, aaron, null, new { format = "csv", filter = "status=failed" });
        await audit.AppendAsync(AuditEventKinds.AuditExported, aaron, null, new { format = "json", filter = "user=张伟, from=2026-03-01T00:00:00.0000000Z" });
        var verified = await storage.Integrity.VerifyAsync();
        await audit.AppendAsync(AuditEventKinds.IntegrityVerified, aaron, null,
            new { intact = verified.Intact, eventsChecked = verified.EventsChecked, problem = verified.FirstProblem, lastSeq = verified.LastSeq, lastChain = verified.LastChain });
        await audit.AppendAsync(AuditEventKinds.SignedOut, aaron, null, new { });
        await audit.AppendAsync(AuditEventKinds.SignedOut, mia, null, new { });
    }

    private static UploadRecord Upload(string id, DateTime receivedAt, AuditActor user, string fileName, long size, long rows) => new()
    {
        Id = Guid.Parse(id),
        ReceivedAt = receivedAt,
        UserId = user.Id,
        UserName = user.Name,
        UserEmail = $"{user.Id[4..]}@example.com",
        UserIssuer = "https://login.example.com/tenant/v2.0",
        ClientIp = "10.0.0.21",
        UserAgent = "Mozilla/5.0 (X11; Linux x86_64) Chrome/140.0",
        TencentApp = "Campaigns",
        TencentRegion = "Guangzhou",
        PackageKind = "Account",
        FileName = fileName,
        FileSize = size,
        Sha256 = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(id))),
        RowCount = rows,
        ValidCount = rows,
        InvalidCount = 0,
        DuplicateCount = 0,
        OriginalSendable = true,
        ValidationSummary = $"{rows} accounts, no problems",
        ValidationMs = 3 + rows / 100,
    };

    private static async Task<UploadRecord> ReceiveAsync(TestStorage storage, UploadRecord upload)
    {
        await storage.Audit.RecordReceivedAsync(upload, new AuditActor(upload.UserId, upload.UserName));
        return upload;
    }

    /// <summary>As UploadService does: the choice and "sending" in one step, then the outcome (none: the send is left hanging).</summary>
    private static async Task SendAsync(AuditStore audit, UploadRecord upload, AuditActor actor, string variant, string? outcomeKind, SendOutcomeDetails? details,
        string startKind = AuditEventKinds.Confirmed, int attempt = 1, IReadOnlyCollection<string>? allowedFrom = null)
    {
        var choice = variant == SendChoice.Clean
            ? new SendChoice(variant, upload.CleanSha256!, upload.CleanSize!.Value, upload.CleanAccountCount!.Value)
            : new SendChoice(variant, upload.Sha256, upload.FileSize, upload.ValidCount);
        Assert.True(await audit.TryAppendAsync(upload.Id, allowedFrom ?? [AuditEventKinds.Validated], actor,
            [(startKind, choice), (AuditEventKinds.Sending, new { attempt })]));
        if (outcomeKind is not null)
        {
            Assert.True(await audit.TryAppendAsync(upload.Id, [AuditEventKinds.Sending], actor, [(outcomeKind, (object)details!)]));
        }
    }

    /// <summary>The test project's folder in the source tree, found from the build output.</summary>
    private static string SourceDirectory()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Portal.Tests.csproj")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("Portal.Tests.csproj not found above " + AppContext.BaseDirectory);
    }

    /// <summary>A clock that moves 37 seconds each time it is read: every event has its own fixed time, in order.</summary>
    private sealed class SteppingClock(DateTime start) : TimeProvider
    {
        private long _reads;

        public override DateTimeOffset GetUtcNow() => new(start.AddSeconds(37 * Interlocked.Increment(ref _reads)), TimeSpan.Zero);
    }
}
