using Portal.Audit;
using Portal.Data;
using Portal.Uploads;
using static Portal.Data.StorageProvider;

namespace Portal.Tests.Audit;

/// <summary>
/// The audit log's filters, sorts, counts, export stream and daily figures, on both stores: their SQL differs where the
/// two differ (case-insensitive matching, prefix ranges), and the results must not.
/// </summary>
public sealed class AuditSearchTests
{
    private static readonly DateTime Start = new(2026, 3, 2, 9, 0, 0, DateTimeKind.Utc);

    public static TheoryData<string, AuditFilter, string[]> Filters => new()
    {
        { "no filter, newest first", new AuditFilter(), ["Zebra.txt", "autumn.txt", "spring-b.txt", "Spring-A.txt"] },
        { "email, any letter case", new AuditFilter { User = "AARON@example.COM" }, ["spring-b.txt"] },
        { "subject", new AuditFilter { User = "dev-mia" }, ["Zebra.txt", "autumn.txt", "Spring-A.txt"] },
        { "date range", new AuditFilter { FromUtc = Start.AddHours(1), ToUtc = Start.AddHours(3) }, ["autumn.txt", "spring-b.txt"] },
        { "Tencent app", new AuditFilter { TencentApp = "Loyalty" }, ["spring-b.txt"] },
        { "status", new AuditFilter { Status = UploadStatus.Sent }, ["autumn.txt", "Spring-A.txt"] },
        { "package kind", new AuditFilter { PackageKind = "Token" }, ["spring-b.txt"] },
        { "uploadId", new AuditFilter { TencentUploadId = 4242 }, ["Spring-A.txt"] },
        { "file name prefix, any letter case", new AuditFilter { FileName = "SPRING" }, ["spring-b.txt", "Spring-A.txt"] },
        { "file name sorted without letter case", new AuditFilter { Sort = AuditSort.FileName, Descending = false }, ["autumn.txt", "Spring-A.txt", "spring-b.txt", "Zebra.txt"] },
        { "status, ascending, each newest first", new AuditFilter { Sort = AuditSort.Status, Descending = false }, ["spring-b.txt", "autumn.txt", "Spring-A.txt", "Zebra.txt"] },
        { "uploadId, highest first, none last", new AuditFilter { Sort = AuditSort.TencentUploadId }, ["autumn.txt", "Spring-A.txt", "Zebra.txt", "spring-b.txt"] },
        { "uploadId, lowest first, none last", new AuditFilter { Sort = AuditSort.TencentUploadId, Descending = false }, ["Spring-A.txt", "autumn.txt", "Zebra.txt", "spring-b.txt"] },
        { "user name, ascending, each oldest first", new AuditFilter { Sort = AuditSort.UserName, Descending = false }, ["spring-b.txt", "Spring-A.txt", "autumn.txt", "Zebra.txt"] },
        { "two filters", new AuditFilter { User = "dev-mia", Status = UploadStatus.Validated }, ["Zebra.txt"] },
        { "part of a name, any letter case", new AuditFilter { User = "mIA mark" }, ["Zebra.txt", "autumn.txt", "Spring-A.txt"] },
        { "part of an email, any letter case", new AuditFilter { User = "aaron@EX" }, ["spring-b.txt"] },
        { "a search matching both users", new AuditFilter { User = "EXAMPLE.com" }, ["Zebra.txt", "autumn.txt", "spring-b.txt", "Spring-A.txt"] },
        { "a search matching no user", new AuditFilter { User = "nobody" }, [] },
        { "a wildcard in a search matches itself", new AuditFilter { User = "%" }, [] },
        {
            "user search, app, status and date range", new AuditFilter
            {
                User = "mia", TencentApp = "Campaigns", Status = UploadStatus.Sent, FromUtc = Start, ToUtc = Start.AddHours(3),
            },
            ["autumn.txt", "Spring-A.txt"]
        },
    };

    [Theory, Store(Sqlite, nameof(Filters)), Store(PostgreSql, nameof(Filters))]
    public async Task Each_filter_finds_the_same_uploads_in_the_same_order_on_either_store(StorageProvider provider, string what, AuditFilter filter, string[] expected)
    {
        using var storage = await SeededAsync(provider);

        var page = await storage.Search.SearchAsync(filter, 0, 25);
        var streamed = new List<string>();
        await foreach (var entry in storage.Search.StreamAsync(filter))
        {
            streamed.Add(entry.Upload.FileName);
        }

        Assert.True(expected.SequenceEqual(page.Items.Select(entry => entry.Upload.FileName)), $"{what}: {string.Join(", ", page.Items.Select(entry => entry.Upload.FileName))}");
        Assert.Equal(expected.Length, page.TotalCount);
        Assert.Equal(expected, streamed);
    }

    [Theory, Store(Sqlite), Store(PostgreSql)]
    public async Task A_short_prefix_pages_through_its_matches_with_the_total_count(StorageProvider provider)
    {
        using var storage = await SeededAsync(provider);

        var second = await storage.Search.SearchAsync(new AuditFilter { FileName = "s" }, 1, 1);

        Assert.Equal(2, second.TotalCount);
        Assert.Equal("Spring-A.txt", Assert.Single(second.Items).Upload.FileName);
    }

    [Theory, Store(Sqlite), Store(PostgreSql)]
    public async Task Matches_are_counted_up_to_the_limit_and_past_it_the_page_says_there_are_more(StorageProvider provider)
    {
        using var storage = await SeededAsync(provider);
        var search = new AuditSearch(storage.Connections, exactTotalLimit: 2);

        var everything = await search.SearchAsync(new AuditFilter(), 0, 25);
        var atTheLimit = await search.SearchAsync(new AuditFilter { FileName = "s" }, 0, 25);

        // Four uploads: the count stops at two, yet the page holds every match.
        Assert.Equal((2, true, 4), (everything.TotalCount, everything.TotalIsLowerBound, everything.Items.Count));
        Assert.Equal((2, false, 2), (atTheLimit.TotalCount, atTheLimit.TotalIsLowerBound, atTheLimit.Items.Count));
        Assert.False((await storage.Search.SearchAsync(new AuditFilter(), 0, 25)).TotalIsLowerBound);
    }

    [Theory, Store(Sqlite), Store(PostgreSql)]
    public async Task Daily_figures_count_uploads_accounts_sent_and_failures_per_day(StorageProvider provider)
    {
        using var storage = await SeededAsync(provider);

        var days = await new AppActivity(storage.Connections).SinceAsync(DateOnly.FromDateTime(Start));

        Assert.Equal((4, 4L, 0), (days.Sum(day => day.Uploads), days.Sum(day => day.AccountsSent), days.Sum(day => day.Failures)));
        Assert.Equal(days.OrderBy(day => day.Day), days);
    }

    /// <summary>Four uploads an hour apart: two sent (one with uploadId 4242), one rejected token package, one validated.</summary>
    private static async Task<TestStorage> SeededAsync(StorageProvider provider)
    {
        var storage = await TestStorage.CreateAsync(provider);
        var springA = await storage.RecordAsync(TestStorage.Upload("Spring-A.txt", receivedAt: Start));
        await storage.RecordAsync(TestStorage.Upload("spring-b.txt", accepted: false, receivedAt: Start.AddHours(1), userId: "dev-aaron") with
        {
            UserName = "Aaron Auditor",
            UserEmail = "Aaron@Example.com",
            TencentApp = "Loyalty",
            PackageKind = "Token",
        });
        var autumn = await storage.RecordAsync(TestStorage.Upload("autumn.txt", receivedAt: Start.AddHours(2)));
        await storage.RecordAsync(TestStorage.Upload("Zebra.txt", receivedAt: Start.AddHours(3)));
        await storage.SendAsync(springA, 4242);
        await storage.SendAsync(autumn, 4343);
        return storage;
    }
}
