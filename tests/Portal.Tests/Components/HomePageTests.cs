using Bunit;
using Portal.Auth;
using Portal.Components.Pages;
using Portal.Tencent;

namespace Portal.Tests.Components;

/// <summary>The home page by role: an uploader's way to a new upload and their recent ones, an auditor's day at a glance.</summary>
public sealed class HomePageTests : PortalComponentTest
{
    private TestStorage _storage = default!;

    public override async Task InitializeAsync()
    {
        _storage = await TestStorage.CreateAsync();
        UseStorage(_storage, new TencentAppOptions { Name = "Campaigns" });
    }

    protected override Task DisposeTestResourcesAsync()
    {
        _storage.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task An_uploader_sees_a_new_upload_and_their_own_recent_uploads_only()
    {
        SignIn("mia", PortalRoles.Uploader);
        var sent = await _storage.RecordAsync(TestStorage.Upload("spring-campaign.txt"));
        await _storage.SendAsync(sent, 777);
        await _storage.RecordAsync(TestStorage.Upload("someone-elses.txt", userId: "dev-noah"));

        var cut = Render<Home>();

        cut.WaitForAssertion(() => Assert.Contains("spring-campaign.txt", cut.Find("[data-testid=recent-uploads]").TextContent, StringComparison.Ordinal));
        Assert.DoesNotContain("someone-elses.txt", cut.Markup, StringComparison.Ordinal);
        Assert.Equal("Sent", cut.Find("[data-testid=audit-status]").TextContent);
        Assert.Equal("upload", cut.Find("[data-testid=home-new-upload]").GetAttribute("href"));
        Assert.Empty(cut.FindAll("[data-testid=home-auditor]"));
    }

    [Fact]
    public async Task An_auditor_sees_todays_activity_and_that_the_trail_was_not_verified_yet_in_chinese()
    {
        UseCulture("zh-CN");
        SignIn("aaron", PortalRoles.Auditor);
        var sent = await _storage.RecordAsync(TestStorage.Upload("spring-campaign.txt"));
        await _storage.SendAsync(sent, 777);
        await _storage.RecordAsync(TestStorage.Upload("rejected.txt", accepted: false));

        var cut = Render<Home>();

        cut.WaitForAssertion(() => Assert.StartsWith("今天 2 次上传 · 已发送 ", cut.Find("[data-testid=today-activity]").TextContent, StringComparison.Ordinal));
        Assert.Equal("自门户启动以来，尚未校验过审计记录。", cut.Find("[data-testid=last-verified]").TextContent.Trim());
        Assert.Empty(cut.FindAll("[data-testid=home-uploader]"));
    }
}
