using Bunit;
using Bunit.TestDoubles;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Portal.Audit;
using Portal.Auth;
using Portal.Data;
using Portal.Localization;
using Portal.Tencent;
using Portal.Tests.Components;
using Portal.Uploads;
using static Portal.Data.StorageProvider;

namespace Portal.Tests.Audit;

/// <summary>The activity view's search on both stores: every recorded event, newest first, by user, kind, app and time.</summary>
public sealed class ActivitySearchTests
{
    [Theory, Store(Sqlite), Store(PostgreSql)]
    public async Task Each_filter_finds_the_same_events_on_either_store(StorageProvider provider)
    {
        using var storage = await TestStorage.CreateAsync(provider);
        await SeedAsync(storage);
        var search = new ActivitySearch(storage.Connections);

        async Task<string[]> KindsAsync(ActivityFilter filter) => [.. (await search.SearchAsync(filter, 0, 25)).Items.Select(entry => entry.Event.Kind)];

        Assert.Equal(["audit-exported", "signed-in", "sent", "sending", "confirmed", "validated", "received"], await KindsAsync(new ActivityFilter()));
        Assert.Equal(["audit-exported", "signed-in"], await KindsAsync(new ActivityFilter { User = "aaron AUD" }));
        Assert.Equal(["signed-in"], await KindsAsync(new ActivityFilter { Kind = "signed-in" }));
        Assert.Equal(["sent", "sending", "confirmed", "validated", "received"], await KindsAsync(new ActivityFilter { TencentApp = "Campaigns" }));
        Assert.Empty(await KindsAsync(new ActivityFilter { TencentApp = "Campaigns", FromUtc = DateTime.UtcNow.AddDays(1) }));
        Assert.Empty(await KindsAsync(new ActivityFilter { User = "nobody" }));
        var page = await search.SearchAsync(new ActivityFilter { TencentApp = "Campaigns" }, 0, 2);
        Assert.Equal((2, 5, false), (page.Items.Count, page.TotalCount, page.TotalIsLowerBound));
        Assert.Equal("a.txt", page.Items[0].Upload?.FileName);
    }

    /// <summary>Mia uploads a.txt to Campaigns and sends it; then Aaron signs in and exports the log.</summary>
    internal static async Task SeedAsync(TestStorage storage)
    {
        var upload = await storage.RecordAsync(TestStorage.Upload("a.txt", receivedAt: DateTime.UtcNow.AddMinutes(-1)));
        await storage.SendAsync(upload, 4242);
        var aaron = new AuditActor("dev-aaron", "Aaron Auditor");
        await storage.Trail.AppendAsync(aaron, new SignedIn([PortalRoles.Auditor], "127.0.0.1"));
        await storage.Trail.AppendAsync(aaron, new AuditExported("csv", "user=mia"));
    }
}

/// <summary>The activity page: its filters come from and go to the URL, and each event reads as a sentence in the reader's language.</summary>
public sealed class ActivityPageTests : PortalComponentTest
{
    private TestStorage _storage = default!;

    public override async Task InitializeAsync()
    {
        _storage = await TestStorage.CreateAsync();
        UseStorage(_storage, new TencentAppOptions { Name = "Campaigns" });
        Services.AddSingleton(new ActivitySearch(_storage.Connections));
        SignIn("aaron", PortalRoles.Auditor);
        RenderPopoverProvider();
        await ActivitySearchTests.SeedAsync(_storage);
    }

    protected override Task DisposeTestResourcesAsync()
    {
        _storage.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public void A_url_carrying_filters_shows_only_the_matching_events_as_sentences()
    {
        Services.GetRequiredService<NavigationManager>().NavigateTo("audit/activity?user=aaron&kind=signed-in");

        var cut = Render<ActivityPage>();

        cut.WaitForAssertion(() => Assert.Equal(["Aaron Auditor signed in"], Sentences(cut)));
        Assert.Equal("aaron", cut.Find("input[data-testid=activity-filter-user]").GetAttribute("value"));
        Assert.Equal("api/audit/activity/export?format=csv&user=aaron&kind=signed-in", cut.Find("[data-testid=activity-export-csv]").GetAttribute("href"));
    }

    [Fact]
    public async Task Applying_a_filter_adds_a_history_entry_and_going_back_shows_the_previous_view()
    {
        var navigation = Services.GetRequiredService<NavigationManager>();
        navigation.NavigateTo("audit/activity?kind=signed-in");
        var cut = Render<ActivityPage>();
        cut.WaitForAssertion(() => Assert.Equal(["Aaron Auditor signed in"], Sentences(cut)));
        var history = ((BunitNavigationManager)navigation).History;
        var entries = history.Count;

        cut.Find("[data-testid=activity-clear]").Click();

        cut.WaitForAssertion(() => Assert.Equal(7, Sentences(cut).Count));
        Assert.Equal(entries + 1, history.Count);
        Assert.EndsWith("/audit/activity", navigation.Uri, StringComparison.Ordinal);

        // The back button: the router goes to the previous entry's URL.
        await cut.InvokeAsync(() => navigation.NavigateTo("audit/activity?kind=signed-in"));

        cut.WaitForAssertion(() => Assert.Equal(["Aaron Auditor signed in"], Sentences(cut)));
    }

    [Fact]
    public void Each_event_reads_as_a_sentence_in_english()
    {
        var cut = Render<ActivityPage>();

        cut.WaitForAssertion(() => Assert.Equal(
            [
                "Aaron Auditor exported the audit log as CSV (user=mia)",
                "Aaron Auditor signed in",
                "Tencent accepted a.txt for app Campaigns and returned uploadId 4242",
                "The portal began sending a.txt to Tencent (attempt 1)",
                "Mia Marketing sent the original file of a.txt (2 accounts) to app Campaigns",
                "The portal checked a.txt: it can be sent",
                "Mia Marketing uploaded a.txt for app Campaigns",
            ],
            Sentences(cut)));
    }

    [Fact]
    public void Each_event_reads_as_a_sentence_in_chinese()
    {
        UseCulture(PortalCultures.SimplifiedChinese);

        var cut = Render<ActivityPage>();

        cut.WaitForAssertion(() => Assert.Equal(
            [
                "Aaron Auditor 将审计日志导出为 CSV（user=mia）",
                "Aaron Auditor 登录了",
                "腾讯接收了应用 Campaigns 的 a.txt，返回 uploadId 4242",
                "门户 开始将 a.txt 发送到腾讯（第 1 次尝试）",
                "Mia Marketing 将 a.txt 的原始文件（2 个账号）发送到应用 Campaigns",
                "门户检查了 a.txt：可以发送",
                "Mia Marketing 为应用 Campaigns 上传了 a.txt",
            ],
            Sentences(cut)));
    }

    [Fact]
    public void One_account_is_singular_in_english()
    {
        var sentences = Services.GetRequiredService<EventSentences>();
        var confirmed = new AuditEvent { Kind = "confirmed", ActorId = "dev-mia", ActorName = "Mia Chen", Data = new SendConfirmed(SendVariant.Clean, "ab", 10, 1).ToJson() };

        Assert.Equal("Mia Chen sent the clean package of accounts.csv (1 account) to app Shop", sentences.Describe(confirmed, new EventUpload("accounts.csv", "Shop")));
    }

    [Theory]
    [InlineData(PortalCultures.English, "Mia Chen checked crm.csv again (no header row; account column 3): it can be sent")]
    [InlineData(PortalCultures.SimplifiedChinese, "Mia Chen 重新检查了 crm.csv（没有表头行；账号在第 3 列）：可以发送")]
    public void A_recheck_says_the_choices_it_was_made_with(string culture, string sentence)
    {
        UseCulture(culture);
        var sentences = Services.GetRequiredService<EventSentences>();
        var rechecked = new AuditEvent
        {
            Kind = "rechecked", ActorId = "dev-mia", ActorName = "Mia Chen",
            Data = new UploadRechecked(false, 3, false, "accepted", 4, false, 3, 0, "crm.clean.txt", 40, new string('a', 64), 3, 0, 1).ToJson(),
        };

        Assert.Equal(sentence, sentences.Describe(rechecked, new EventUpload("crm.csv", "Shop")));
    }

    [Theory]
    [InlineData(PortalCultures.English)]
    [InlineData(PortalCultures.SimplifiedChinese)]
    public void Every_event_kind_has_a_name_and_a_sentence(string culture)
    {
        UseCulture(culture);
        var text = Services.GetRequiredService<Microsoft.Extensions.Localization.IStringLocalizer<Portal.Resources.AuditText>>();

        Assert.All(AuditEventData.Kinds, kind =>
        {
            Assert.False(text[$"Kind_{kind}"].ResourceNotFound, $"Kind_{kind}");
            Assert.True(!text[$"Event_{kind}"].ResourceNotFound || !text[$"Event_{kind}_other"].ResourceNotFound, $"Event_{kind}");
        });
    }

    [Fact]
    public async Task An_uploads_history_reads_as_sentences_in_chinese()
    {
        UseCulture(PortalCultures.SimplifiedChinese);
        var upload = (await _storage.Search.SearchAsync(new AuditFilter(), 0, 1)).Items[0].Upload;
        var events = await _storage.Search.EventsOfAsync(upload.Id);

        var cut = Render<UploadHistory>(parameters => parameters
            .Add(history => history.Events, events)
            .Add(history => history.Upload, new EventUpload(upload.FileName, upload.TencentApp)));

        Assert.Equal(
            ["Mia Marketing 为应用 Campaigns 上传了 a.txt", "门户检查了 a.txt：可以发送", "Mia Marketing 将 a.txt 的原始文件（2 个账号）发送到应用 Campaigns", "门户 开始将 a.txt 发送到腾讯（第 1 次尝试）", "腾讯接收了应用 Campaigns 的 a.txt，返回 uploadId 4242"],
            cut.FindAll("[data-testid=upload-event-sentence]").Select(cell => cell.TextContent.Trim()));
    }

    private static List<string> Sentences(IRenderedComponent<ActivityPage> cut) =>
        [.. cut.FindAll("[data-testid=activity-sentence]").Select(cell => cell.TextContent.Trim())];
}
