using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Bunit;
using Bunit.TestDoubles;
using Portal.Audit;
using Portal.Auth;
using Portal.Localization;
using Portal.Tencent;
using Portal.Tests.Components;
using Portal.Uploads;

namespace Portal.Tests.Audit;

public sealed class AuditLogPageTests : PortalComponentTest
{
    private const int CountingLimit = 30;
    private TestStorage _storage = default!;

    public override async Task InitializeAsync()
    {
        _storage = await TestStorage.CreateAsync();
        UseStorage(_storage, new TencentAppOptions { Name = "Campaigns" });
        // Counting stops at 30 here rather than 10,000, so that a test can go past it.
        Services.AddSingleton(new AuditSearch(_storage.Connections, exactTotalLimit: CountingLimit));
        SignIn("aaron", PortalRoles.Auditor);
        RenderPopoverProvider();
    }

    protected override Task DisposeTestResourcesAsync()
    {
        _storage.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public void Empty_log_says_so()
    {
        var cut = Render<AuditLogPage>();

        cut.WaitForAssertion(() => Assert.Equal("No uploads yet.", cut.Find("[data-testid=audit-empty]").TextContent));
    }

    [Fact]
    public async Task Rows_show_newest_first_with_status_and_uploadId()
    {
        var older = await _storage.RecordAsync(TestStorage.Upload("older.txt", receivedAt: DateTime.UtcNow.AddMinutes(-5)));
        await _storage.SendAsync(older, 777);
        await _storage.RecordAsync(TestStorage.Upload("newer.csv", accepted: false));

        var cut = Render<AuditLogPage>();

        cut.WaitForAssertion(() => Assert.Equal(["newer.csv", "older.txt"], Texts(cut, "audit-file")));
        Assert.Equal(["Rejected", "Sent"], Texts(cut, "audit-status"));
        Assert.Equal(["—", "777"], Texts(cut, "audit-upload-id"));
    }

    [Fact]
    public async Task The_grid_is_paged_on_the_server()
    {
        for (var i = 0; i < 30; i++)
        {
            await _storage.RecordAsync(TestStorage.Upload($"file-{i:D2}.txt", receivedAt: DateTime.UtcNow.AddSeconds(i)));
        }

        var cut = Render<AuditLogPage>();

        cut.WaitForAssertion(() => Assert.Equal(25, Texts(cut, "audit-file").Count));
        Assert.Equal("file-29.txt", Texts(cut, "audit-file")[0]);
        Assert.DoesNotContain("file-04.txt", Texts(cut, "audit-file"));
        Assert.Contains("of 30", cut.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Past_the_counting_limit_the_pager_says_more_than()
    {
        for (var i = 0; i <= CountingLimit; i++)
        {
            await _storage.RecordAsync(TestStorage.Upload($"file-{i:D2}.txt", receivedAt: DateTime.UtcNow.AddSeconds(i)));
        }

        var cut = Render<AuditLogPage>();

        cut.WaitForAssertion(() => Assert.Contains($"1–25 of more than {CountingLimit}", cut.Markup, StringComparison.Ordinal));
        Assert.Equal(25, Texts(cut, "audit-file").Count);
    }

    [Fact]
    public async Task Filtering_by_uploadId_shows_only_that_upload()
    {
        foreach (var (name, id) in new[] { ("a.txt", 101L), ("b.txt", 202L), ("c.txt", 303L) })
        {
            await _storage.SendAsync(await _storage.RecordAsync(TestStorage.Upload(name)), id);
        }

        var cut = Render<AuditLogPage>();
        cut.WaitForAssertion(() => Assert.Equal(3, Texts(cut, "audit-file").Count));

        cut.Find("input[data-testid=filter-upload-id]").Change("202");
        cut.Find("[data-testid=apply-filters]").Click();

        cut.WaitForAssertion(() => Assert.Equal(["b.txt"], Texts(cut, "audit-file")));
        Assert.Contains("uploadId=202", cut.Find("[data-testid=export-csv]").GetAttribute("href"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_url_carrying_filters_shows_that_view_and_fills_the_filters()
    {
        foreach (var (name, id) in new[] { ("a.txt", 101L), ("b.txt", 202L) })
        {
            await _storage.SendAsync(await _storage.RecordAsync(TestStorage.Upload(name)), id);
        }

        Services.GetRequiredService<NavigationManager>().NavigateTo("audit?uploadId=202&status=sent");
        var cut = Render<AuditLogPage>();

        cut.WaitForAssertion(() => Assert.Equal(["b.txt"], Texts(cut, "audit-file")));
        Assert.Equal("202", cut.Find("input[data-testid=filter-upload-id]").GetAttribute("value"));
    }

    [Fact]
    public async Task Applying_filters_adds_a_history_entry_and_going_back_shows_the_previous_view()
    {
        foreach (var (name, id) in new[] { ("a.txt", 101L), ("b.txt", 202L) })
        {
            await _storage.SendAsync(await _storage.RecordAsync(TestStorage.Upload(name)), id);
        }

        var navigation = Services.GetRequiredService<NavigationManager>();
        navigation.NavigateTo("audit");
        var cut = Render<AuditLogPage>();
        cut.WaitForAssertion(() => Assert.Equal(2, Texts(cut, "audit-file").Count));
        var history = ((BunitNavigationManager)navigation).History;
        var entries = history.Count;

        cut.Find("input[data-testid=filter-upload-id]").Change("202");
        cut.Find("[data-testid=apply-filters]").Click();

        cut.WaitForAssertion(() => Assert.Equal(["b.txt"], Texts(cut, "audit-file")));
        Assert.EndsWith("/audit?uploadId=202", navigation.Uri, StringComparison.Ordinal);
        Assert.Equal(entries + 1, history.Count);
        Assert.False(history.First().Options.ReplaceHistoryEntry);

        // The back button: the router navigates to the previous entry's URL.
        await cut.InvokeAsync(() => navigation.NavigateTo("audit"));

        cut.WaitForAssertion(() => Assert.Equal(2, Texts(cut, "audit-file").Count));
        Assert.Equal("", cut.Find("input[data-testid=filter-upload-id]").GetAttribute("value") ?? "");
    }

    [Theory]
    [InlineData(PortalCultures.English, "Filters (2 active)")]
    [InlineData(PortalCultures.SimplifiedChinese, "筛选（2 项已启用）")]
    public void On_a_phone_the_filters_fold_behind_a_button_that_counts_the_active_ones(string culture, string label)
    {
        UseCulture(culture);
        Services.GetRequiredService<NavigationManager>().NavigateTo("audit?status=sent&app=Campaigns&order=asc");

        var cut = Render<AuditLogPage>();

        Assert.Equal(label, cut.Find("[data-testid=filters-toggle]").TextContent.Trim());
        Assert.Equal("d-none d-sm-block", cut.Find("[data-testid=filter-panel]").ClassName);
        Assert.Equal("false", cut.Find("[data-testid=filters-toggle]").GetAttribute("aria-expanded"));

        cut.Find("[data-testid=filters-toggle]").Click();

        Assert.Equal("d-block", cut.Find("[data-testid=filter-panel]").ClassName);
        Assert.Equal("true", cut.Find("[data-testid=filters-toggle]").GetAttribute("aria-expanded"));
    }

    [Fact]
    public async Task Every_column_sorts_on_the_server_and_status_sorts_by_its_code()
    {
        await _storage.SendAsync(await _storage.RecordAsync(TestStorage.Upload("sent.txt", receivedAt: DateTime.UtcNow.AddMinutes(-2))), 11);
        await _storage.RecordAsync(TestStorage.Upload("rejected.txt", accepted: false, receivedAt: DateTime.UtcNow.AddMinutes(-1)));
        await _storage.RecordAsync(TestStorage.Upload("checked.txt"));
        var cut = Render<AuditLogPage>();
        cut.WaitForAssertion(() => Assert.Equal(["checked.txt", "rejected.txt", "sent.txt"], Texts(cut, "audit-file")));

        Assert.Equal(9, cut.FindAll("th .sortable-column-header").Count);
        cut.FindAll("th .sortable-column-header").Single(header => header.TextContent.Trim() == "Status").Click();

        cut.WaitForAssertion(() => Assert.Equal(["rejected.txt", "sent.txt", "checked.txt"], Texts(cut, "audit-file")));
    }

    [Fact]
    public async Task Clear_removes_every_filter_the_uploadId_included()
    {
        foreach (var (name, id) in new[] { ("a.txt", 101L), ("b.txt", 202L) })
        {
            await _storage.SendAsync(await _storage.RecordAsync(TestStorage.Upload(name)), id);
        }

        var cut = Render<AuditLogPage>();
        cut.Find("input[data-testid=filter-upload-id]").Change("202");
        cut.Find("[data-testid=apply-filters]").Click();
        cut.WaitForAssertion(() => Assert.Equal(["b.txt"], Texts(cut, "audit-file")));

        cut.Find("[data-testid=clear-filters]").Click();

        cut.WaitForAssertion(() => Assert.Equal(2, Texts(cut, "audit-file").Count));
        Assert.Equal("api/audit/export?format=csv", cut.Find("[data-testid=export-csv]").GetAttribute("href"));
    }

    [Fact]
    public async Task Filtering_by_file_name_that_matches_nothing_says_so()
    {
        await _storage.RecordAsync(TestStorage.Upload("spring.txt"));
        var cut = Render<AuditLogPage>();
        cut.WaitForAssertion(() => Assert.Single(Texts(cut, "audit-file")));

        cut.Find("input[data-testid=filter-file-name]").Change("autumn");
        cut.Find("[data-testid=apply-filters]").Click();

        cut.WaitForAssertion(() => Assert.Equal("No uploads match these filters.", cut.Find("[data-testid=audit-empty]").TextContent));
    }

    [Fact]
    public async Task Verify_integrity_reports_an_intact_chain_and_records_that_it_ran()
    {
        await _storage.RecordAsync(TestStorage.Upload());
        var cut = Render<AuditLogPage>();

        cut.Find("[data-testid=verify]").Click();

        cut.WaitForAssertion(() => Assert.StartsWith("Intact: 2 events and 1 uploads checked", cut.Find("[data-testid=integrity-result]").TextContent, StringComparison.Ordinal));
        var recorded = (await _storage.Integrity.VerifyAsync()).EventsChecked;
        Assert.Equal(3, recorded);
    }

    [Fact]
    public async Task My_uploads_shows_only_the_signed_in_users_uploads_and_no_export()
    {
        await _storage.RecordAsync(TestStorage.Upload("mine.txt", userId: "dev-mia"));
        await _storage.RecordAsync(TestStorage.Upload("theirs.txt", userId: "dev-olivia"));
        SignIn("mia", PortalRoles.Uploader);

        var cut = Render<MyUploadsPage>();

        cut.WaitForAssertion(() => Assert.Equal(["mine.txt"], Texts(cut, "audit-file")));
        Assert.Empty(cut.FindAll("[data-testid=export-csv]"));
        Assert.Empty(cut.FindAll("[data-testid=filter-user]"));
    }

    private static List<string> Texts(IRenderedComponent<Microsoft.AspNetCore.Components.IComponent> cut, string testId) =>
        cut.FindAll($"[data-testid={testId}]").Select(e => e.TextContent.Trim()).ToList();
}
