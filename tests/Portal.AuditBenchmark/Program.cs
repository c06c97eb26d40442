// Audit trail benchmark (issues 5 and 12): fills a SQLite file, and with --postgres a PostgreSQL database too, with
// 1,000,000 uploads and 6,000,000 chained events, then times the first page of the audit log unfiltered, under each
// single filter, a partial user search and a combined filter on each store (side by side), and a streamed 100,000-row export.
//   dotnet run -c Release --project tests/Portal.AuditBenchmark -- [uploads=1000000] [folder to keep the SQLite database in] [--verify]
//       [--postgres=<connection string of an empty database, or of one this benchmark seeded before>] [--postgres-only]
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Portal.Audit;
using Portal.Data;
using Portal.Uploads;

var positional = args.Where(arg => !arg.StartsWith("--", StringComparison.Ordinal)).ToList();
var uploads = positional.Count > 0 ? int.Parse(positional[0], CultureInfo.InvariantCulture) : 1_000_000;
var keepDatabase = positional.Count > 1;
var directory = keepDatabase ? Directory.CreateDirectory(positional[1]).FullName : Directory.CreateTempSubdirectory("audit-bench-").FullName;
var postgreSql = args.FirstOrDefault(arg => arg.StartsWith("--postgres=", StringComparison.Ordinal))?["--postgres=".Length..];
// A fixed key, so that a kept database still verifies on the next run.
var chain = new AuditChain(SHA256.HashData("audit-benchmark"u8));

// --postgres-only seeds and times PostgreSQL alone (a long seeding can then run beside SQLite's).
var stores = new List<PortalDatabase>();
if (!args.Contains("--postgres-only"))
{
    stores.Add(new SqliteDatabase(new StorageOptions { DataDirectory = directory }));
}

if (postgreSql is not null)
{
    // Statements the seeder repeats are prepared by Npgsql after a few uses.
    var withPreparing = new Npgsql.NpgsqlConnectionStringBuilder(postgreSql) { MaxAutoPrepare = 20, CommandTimeout = 0 }.ConnectionString;
    stores.Add(new PostgreSqlDatabase(new StorageOptions { Provider = nameof(StorageProvider.PostgreSql), ConnectionString = withPreparing }));
}

var results = new List<(StorageProvider Store, IReadOnlyList<(string Name, string Total, double Median, double Max)> Cases)>();
foreach (var database in stores)
{
    await new DatabaseMigrator(database, [new UploadStateRebuild()], NullLogger<DatabaseMigrator>.Instance).MigrateAsync();
    await using (var connection = await database.OpenAsync())
    {
        if (await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM uploads") == 0)
        {
            var seeding = Stopwatch.StartNew();
            var events = await AuditSeeder.SeedAsync(database, chain, uploads);
            Console.WriteLine($"{database.Provider}: seeded {uploads:N0} uploads and {events:N0} events in {seeding.Elapsed.TotalSeconds:F1} s");
        }
    }

    var search = new AuditSearch(database);
    results.Add((database.Provider, await TimeFiltersAsync(search)));
    await TimeExportAsync(database.Provider, search, uploads);
    if (args.Contains("--verify"))
    {
        var verifying = Stopwatch.StartNew();
        var report = await new AuditIntegrity(database, chain).VerifyAsync();
        Console.WriteLine($"{database.Provider}: verify integrity: {report.Describe()} in {verifying.Elapsed.TotalSeconds:F1} s");
    }
}

Console.WriteLine();
Console.WriteLine($"first page (25 rows, newest first, with its total, counted up to {AuditSearch.ExactTotalLimit:N0}), median and max of 7 runs after 1 warm-up, {uploads:N0} uploads, in ms:");
Console.WriteLine($"{"filter",-30} " + string.Join(" ", results.Select(r => $"{r.Store + " total",16} {"median",8} {"max",8}")));
for (var i = 0; i < results[0].Cases.Count; i++)
{
    Console.WriteLine($"{results[0].Cases[i].Name,-30} " + string.Join(" ", results.Select(r => $"{r.Cases[i].Total,16} {r.Cases[i].Median,8:F1} {r.Cases[i].Max,8:F1}")));
}

SqliteConnection.ClearAllPools();
foreach (var database in stores.OfType<IDisposable>())
{
    database.Dispose();
}

if (!keepDatabase)
{
    Directory.Delete(directory, recursive: true);
}

// The first page under each filter; the probes (a user, a file name, a hash) are taken from the store's own data.
static async Task<IReadOnlyList<(string Name, string Total, double Median, double Max)>> TimeFiltersAsync(AuditSearch search)
{
    var probe = (await search.SearchAsync(new AuditFilter { Status = UploadStatus.Sent }, 500, 1)).Items[0];
    var newest = (await search.SearchAsync(new AuditFilter(), 0, 1)).Items[0].Upload.ReceivedAt;
    var cases = new (string Name, AuditFilter Filter)[]
    {
        ("unfiltered", new AuditFilter()),
        ("user (email)", new AuditFilter { User = probe.Upload.UserEmail }),
        // "User 12" is in eleven names (User 12, User 120 to User 129), so about 22,000 uploads.
        ("user search (partial)", new AuditFilter { User = "uSeR 12" }),
        ("user search+app+status+dates", new AuditFilter
        {
            User = "uSeR 12", TencentApp = probe.Upload.TencentApp, Status = UploadStatus.Sent, FromUtc = newest.AddDays(-90), ToUtc = newest.AddDays(1),
        }),
        ("date range (7 days)", new AuditFilter { FromUtc = newest.AddDays(-7), ToUtc = newest.AddDays(1) }),
        ("Tencent app", new AuditFilter { TencentApp = probe.Upload.TencentApp }),
        ("status = failed", new AuditFilter { Status = UploadStatus.Failed }),
        ("status = interrupted (rare)", new AuditFilter { Status = UploadStatus.Interrupted }),
        ("package kind = Token", new AuditFilter { PackageKind = "Token" }),
        ("uploadId", new AuditFilter { TencentUploadId = probe.State.TencentUploadId }),
        ("file name prefix (narrow)", new AuditFilter { FileName = probe.Upload.FileName[..15] }),
        ("file name prefix (broad)", new AuditFilter { FileName = "CAMPAIGN-1" }),
        ("SHA-256 prefix (narrow)", new AuditFilter { Sha256 = probe.Upload.Sha256[..10] }),
        ("SHA-256 prefix (broad)", new AuditFilter { Sha256 = probe.Upload.Sha256[..1] }),
    };

    // Each column's sort, unfiltered, both ways (decision 0018).
    var sorts = Enum.GetValues<AuditSort>().Where(sort => sort != AuditSort.ReceivedAt)
        .SelectMany(sort => new[] { true, false }.Select(descending => ($"sort: {sort} {(descending ? "desc" : "asc")}", new AuditFilter { Sort = sort, Descending = descending })));
    var figures = new List<(string, string, double, double)>();
    foreach (var (name, filter) in cases.Concat(sorts))
    {
        var timings = new List<double>();
        var total = "";
        for (var run = 0; run < 8; run++)
        {
            var watch = Stopwatch.StartNew();
            var page = await search.SearchAsync(filter, 0, 25);
            watch.Stop();
            total = page.TotalIsLowerBound ? $"> {page.TotalCount:N0}" : $"{page.TotalCount:N0}";
            if (run > 0)
            {
                timings.Add(watch.Elapsed.TotalMilliseconds);
            }
        }

        timings.Sort();
        figures.Add((name, total, timings[timings.Count / 2], timings[^1]));
    }

    return figures;
}

// Export: 100,000 rows written as CSV to a sink, streamed row by row.
static async Task TimeExportAsync(StorageProvider store, AuditSearch search, int uploads)
{
    var exportRows = Math.Min(100_000, uploads);
    var exportFilter = new AuditFilter { ToUtc = (await search.SearchAsync(new AuditFilter { Descending = false }, exportRows - 1, 1)).Items[0].Upload.ReceivedAt.AddTicks(1) };
    GC.Collect();
    var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
    var exportWatch = Stopwatch.StartNew();
    var sink = new CountingStream();
    await AuditExport.WriteCsvAsync(search.StreamAsync(exportFilter), sink, CancellationToken.None);
    exportWatch.Stop();
    Console.WriteLine($"{store}: export: {sink.Lines - 1:N0} rows, {sink.Length / 1048576.0:F1} MB of CSV in {exportWatch.Elapsed.TotalMilliseconds:F0} ms; " +
        $"allocated {(GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore) / 1048576.0:F0} MB in total while the heap stayed at {GC.GetGCMemoryInfo().HeapSizeBytes / 1048576.0:F0} MB; " +
        $"peak working set {Environment.WorkingSet / 1048576.0:F0} MB (process {Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0:F0} MB peak)");
}

/// <summary>A write-only sink that counts bytes and lines, so the export's own memory is what is measured.</summary>
internal sealed class CountingStream : Stream
{
    public long Lines { get; private set; }

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => _length;
    public override long Position { get => _length; set => throw new NotSupportedException(); }

    private long _length;

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        _length += buffer.Length;
        Lines += System.MemoryExtensions.Count(buffer, (byte)'\n');
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Write(buffer.Span);
        return ValueTask.CompletedTask;
    }

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}
