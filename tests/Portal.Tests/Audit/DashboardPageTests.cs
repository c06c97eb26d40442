using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Portal.Audit;
using Portal.Auth;
using Portal.Tests.Components;

namespace Portal.Tests.Audit;

/// <summary>The dashboard: what each chart counts, its axes, and the same counts per Tencent app, in either language.</summary>
public sealed class DashboardPageTests : PortalComponentTest
{
    private TestStorage _storage = default!;

    public override async Task InitializeAsync()
    {
        _storage = await TestStorage.CreateAsync();
        UseStorage(_storage);
        SignIn("ann", PortalRoles.Auditor);
        await _storage.SendAsync(await _storage.RecordAsync(TestStorage.Upload("a.txt") with { TencentApp = "Campaigns" }), 101);
        await _storage.SendAsync(await _storage.RecordAsync(TestStorage.Upload("b.txt") with { TencentApp = "Campaigns" }), 102);
        await _storage.RecordAsync(TestStorage.Upload("c.txt", accepted: false) with { TencentApp = "Loyalty" });
    }

    protected override Task DisposeTestResourcesAsync()
    {
        _storage.Dispose();
        return Task.CompletedTask;
    }

    [Theory]
    [InlineData("en", "Files uploaded per day", "3 files uploaded in 30 days", "4 accounts sent to Tencent in 30 days", "Tencent app", "Counted per day in UTC")]
    [InlineData("zh-CN", "每天上传的文件数", "3 个文件在 30 天内上传", "4 个账号在 30 天内发送到腾讯", "腾讯应用", "按 UTC 日期逐日统计")]
    public void Each_chart_says_what_it_counts_and_the_counts_are_also_given_per_app(
        string culture, string uploadsTitle, string uploadsTotal, string accountsTotal, string appColumn, string period)
    {
        UseCulture(culture);

        var cut = Render<DashboardPage>();

        cut.WaitForElement("[data-testid=per-app-row]", Patience);
        Assert.Equal(uploadsTitle, cut.Find("[data-testid=chart-uploads] h2").TextContent);
        Assert.Equal(uploadsTotal, Squash(cut.Find("[data-testid=chart-uploads] p").TextContent));
        Assert.Equal(accountsTotal, Squash(cut.Find("[data-testid=chart-accounts] p").TextContent));
        Assert.Equal("3", cut.Find("[data-testid=total-uploads]").TextContent);
        Assert.StartsWith(period, cut.Find("[data-testid=dashboard-period]").TextContent, StringComparison.Ordinal);
        Assert.Equal(appColumn, cut.Find("[data-testid=per-app] thead th").TextContent);
        Assert.Equal(
            ["Campaigns 2 4 0", "Loyalty 1 0 0"],
            cut.FindAll("[data-testid=per-app-row]").Select(row => Squash(string.Join(' ', row.Children.Select(cell => cell.TextContent)))));
    }

    private static string Squash(string text) => string.Join(' ', text.Split((char[])[' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries));
}
