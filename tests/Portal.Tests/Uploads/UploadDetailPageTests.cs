using Bunit;
using Portal.Auth;
using Portal.Tencent;
using Portal.Tests.Components;
using Portal.Uploads;

namespace Portal.Tests.Uploads;

/// <summary>An upload's own page: its package card as the uploader reads it, in either language.</summary>
public sealed class UploadDetailPageTests : PortalComponentTest
{
    private TestStorage _storage = default!;

    public override async Task InitializeAsync()
    {
        _storage = await TestStorage.CreateAsync();
        UseStorage(_storage, new TencentAppOptions
        {
            Name = "Campaigns", Region = TencentRegion.Custom, BaseUrl = new Uri("http://tencent.test/"), AccessId = "1500000001", SecretKey = "k",
        });
        SignIn("mia", PortalRoles.Uploader);
    }

    protected override Task DisposeTestResourcesAsync()
    {
        _storage.Dispose();
        return Task.CompletedTask;
    }

    [Theory]
    [InlineData("en", "19 rows: 11 accounts will be sent · 3 invalid · 2 duplicates · 3 blank")]
    [InlineData("zh-CN", "19 行：将发送 11 个账号 · 3 个无效 · 2 个重复 · 3 个空行")]
    public async Task The_validation_summary_is_told_from_the_recorded_counts_in_the_readers_language(string culture, string summary)
    {
        UseCulture(culture);
        var upload = await _storage.RecordAsync(TestStorage.Upload("crm.csv", accepted: false) with
        {
            RowCount = 19, ValidCount = 13, InvalidCount = 3, DuplicateCount = 2, BlankRowCount = 3,
            CleanFileName = "crm.clean.txt", CleanSha256 = new string('c', 64), CleanSize = 80, CleanAccountCount = 11,
            ValidationSummary = "Rejected: 19 rows, 13 valid, 3 invalid, 3 blank, 2 duplicates, 3 problems; clean package crm.clean.txt with 11 accounts",
        });

        var cut = Render<UploadDetailPage>(parameters => parameters.Add(page => page.Id, upload.Id));

        var validation = cut.WaitForElement("[data-testid=validation-summary]", Patience).TextContent;
        Assert.StartsWith(summary + " (3 ms)", validation.Trim(), StringComparison.Ordinal);
        Assert.DoesNotContain("Rejected", validation, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_hash_shows_its_first_and_last_eight_characters_whole_on_hover_and_is_copied_whole()
    {
        var upload = await _storage.RecordAsync(TestStorage.Upload());

        var cut = Render<UploadDetailPage>(parameters => parameters.Add(page => page.Id, upload.Id));

        var hash = cut.WaitForElement("[data-testid=detail-sha256]", Patience);
        Assert.Equal($"{upload.Sha256[..8]}…{upload.Sha256[^8..]}", hash.TextContent);
        Assert.Equal(upload.Sha256, hash.GetAttribute("title"));
        hash.ParentElement!.QuerySelector("button")!.Click();
        Assert.Equal(upload.Sha256, JSInterop.Invocations["navigator.clipboard.writeText"].Single().Arguments[0]);
    }
}
