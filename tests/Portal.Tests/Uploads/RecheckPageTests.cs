using System.Text.Json;
using Bunit;
using Microsoft.AspNetCore.Components.Forms;
using Portal.Auth;
using Portal.Tencent;
using Portal.Tests.Components;
using Portal.Uploads;

namespace Portal.Tests.Uploads;

/// <summary>
/// The upload page's report offers what a re-check can change (a header row, the account column, values in scientific
/// notation), and each choice checks the staged file again: the page shows the new report without a new upload.
/// Packages are staged and validated for real; only the transfer from the browser is stood in for.
/// </summary>
public sealed class RecheckPageTests : PortalComponentTest
{
    private const string App = "Campaigns";
    private const string CrmExport = "Customer ID,Name,E-mail\nc-1001,Alice Li,alice@example.com\nc-1002,Bob Wang,bob@example.com\n";
    private static readonly JsonSerializerOptions WebJson = new(JsonSerializerDefaults.Web);
    private TestStorage _storage = default!;
    private StagingStore _staging = default!;
    private BunitJSModuleInterop _script = default!;
    private Guid _uploadId;

    public override async Task InitializeAsync()
    {
        _storage = await TestStorage.CreateAsync();
        _staging = new StagingStore(_storage.Options);
        UseStorage(_storage, new TencentAppOptions { Name = App, Region = TencentRegion.Custom, BaseUrl = new Uri("http://tencent.test/"), AccessId = "1500000001", SecretKey = "k" });
        SignIn("mia", PortalRoles.Uploader);
        _script = JSInterop.SetupModule(UploadPage.ScriptPath);
        RenderPopoverProvider();
        Render<MudBlazor.MudDialogProvider>();
    }

    protected override Task DisposeTestResourcesAsync()
    {
        _storage.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task A_likely_header_is_offered_and_skipping_it_checks_the_staged_file_again()
    {
        var cut = await UploadAsync("accounts.txt", "account_id\nalice\nbob\n");

        var offer = cut.WaitForElement("[data-testid=likely-header]");
        Assert.Contains("Row 1 looks like a header, not an account: account_id", offer.TextContent, StringComparison.Ordinal);
        Assert.Equal("3", cut.Find("[data-testid=valid-count]").TextContent.Trim()[^1..]);
        cut.Find("[data-testid=skip-header]").Click();

        cut.WaitForAssertion(() => Assert.EndsWith("2", cut.Find("[data-testid=valid-count]").TextContent.Trim(), StringComparison.Ordinal));
        Assert.Empty(cut.FindAll("[data-testid=likely-header]"));
        Assert.Contains("2 accounts will be sent", cut.Find("[data-testid=summary]").TextContent, StringComparison.Ordinal);
        Assert.True(Input(cut, "header-row").HasAttribute("checked"));
        Assert.False(Input(cut, "header-row").HasAttribute("disabled"));
    }

    [Fact]
    public async Task Unticking_first_row_is_a_header_after_the_upload_checks_the_file_again()
    {
        var cut = await UploadAsync("accounts.txt", "alice\nbob\ncarol\n", headerRow: true);
        cut.WaitForAssertion(() => Assert.Contains("2 accounts will be sent", cut.Find("[data-testid=summary]").TextContent, StringComparison.Ordinal));

        Input(cut, "header-row").Change(false);

        cut.WaitForAssertion(() => Assert.Contains("3 accounts will be sent", cut.Find("[data-testid=summary]").TextContent, StringComparison.Ordinal));
        Assert.Equal(UploadStatus.Validated, (await _storage.Search.FindAsync(_uploadId))!.State.Status);
        Assert.Equal("no header row", (await _storage.Search.FindAsync(_uploadId))!.State.RecheckOptions);
    }

    [Fact]
    public async Task A_crm_export_offers_its_columns_and_the_chosen_one_is_offered_as_the_clean_package()
    {
        var cut = await UploadAsync("crm.csv", CrmExport);
        cut.WaitForElement("[data-testid=rejected]");
        Assert.Contains("Choose the column that holds the accounts", cut.Find("[data-testid=recheck-choices]").TextContent, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("[data-testid=send]"));

        var choices = cut.FindComponent<RecheckChoices>();
        await cut.InvokeAsync(() => choices.Instance.Changed.InvokeAsync(new RecheckOptions(HeaderRow: true, AccountColumn: 3)));

        cut.WaitForElement("[data-testid=clean-only]");
        Assert.Contains("alice@example.com, bob@example.com", cut.Find("[data-testid=preview]").TextContent, StringComparison.Ordinal);
        Assert.True(Input(cut, "choose-original").HasAttribute("disabled"));
        Assert.NotNull(cut.Find("[data-testid=choose-clean]"));
        Assert.Equal("alice@example.com\nbob@example.com\n", await File.ReadAllTextAsync(_staging.CleanPathOf(_uploadId)));
    }

    [Fact]
    public async Task Values_in_scientific_notation_are_left_out_and_a_tick_keeps_them()
    {
        var cut = await UploadAsync("accounts.txt", "13800000001\n1.38E+10\n13800000002\n");
        cut.WaitForAssertion(() => Assert.Contains("2 accounts will be sent", cut.Find("[data-testid=summary]").TextContent, StringComparison.Ordinal));
        Assert.Contains("1.38E+10", cut.Find("[data-testid=problems]").TextContent, StringComparison.Ordinal);

        Input(cut, "keep-scientific").Change(true);

        cut.WaitForAssertion(() => Assert.Contains("3 accounts will be sent", cut.Find("[data-testid=summary]").TextContent, StringComparison.Ordinal));
        Assert.Contains("scientific notation", cut.Find("[data-testid=warning]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_same_package_warning_follows_the_clean_package_of_the_re_check()
    {
        var cleanSha256 = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("alice@example.com\nbob@example.com\n"u8));
        var earlier = await _storage.RecordAsync(TestStorage.Upload("crm-last-week.csv") with { TencentApp = App, UserName = "Noah Newsletter" });
        await _storage.RecordAsync(earlier.Id, new Portal.Audit.AuditActor("dev-noah", "Noah"), new SendConfirmed(SendVariant.Clean, cleanSha256, 34, 2));
        await _storage.RecordAsync(earlier.Id, Portal.Audit.AuditActor.System, new SendStarted(1));
        await _storage.RecordAsync(earlier.Id, Portal.Audit.AuditActor.System, new SendSucceeded(5555, 0, "", 200, null, 5, false));
        var cut = await UploadAsync("crm.csv", CrmExport);
        cut.WaitForElement("[data-testid=rejected]");
        Assert.Empty(cut.FindAll("[data-testid=same-file]"));

        await cut.InvokeAsync(() => cut.FindComponent<RecheckChoices>().Instance.Changed.InvokeAsync(new RecheckOptions(HeaderRow: true, AccountColumn: 3)));

        var warning = cut.WaitForElement("[data-testid=same-file]").TextContent;
        Assert.Contains("Noah Newsletter", warning, StringComparison.Ordinal);
        Assert.Contains("5555", warning, StringComparison.Ordinal);
    }

    [Fact]
    public async Task In_chinese_the_choices_are_offered_in_chinese()
    {
        UseCulture("zh-CN");
        try
        {
            var cut = await UploadAsync("crm.csv", "账号,姓名\nzhang-wei,张伟\n");

            var choices = cut.WaitForElement("[data-testid=recheck-choices]").TextContent;
            Assert.Contains("第 1 行看起来是表头", choices, StringComparison.Ordinal);
            Assert.Contains("请选择存放账号的那一列", choices, StringComparison.Ordinal);
        }
        finally
        {
            UseCulture("en");
        }
    }

    /// <summary>Mia's file staged and validated as the upload endpoint does, its receipt answered to the page's transfer.</summary>
    private async Task<IRenderedComponent<UploadPage>> UploadAsync(string fileName, string content, bool headerRow = false)
    {
        var (upload, report) = await _storage.ReceiveAsync(_staging, fileName, content, headerRow);
        _uploadId = upload.Id;
        var receipt = new UploadReceipt(upload.Id, fileName, upload.FileSize, upload.Sha256, report);
        _script.Setup<UploadPage.UploadResponse>("uploadPackage", _ => true).SetResult(new UploadPage.UploadResponse(200, JsonSerializer.Serialize(receipt, WebJson)));
        var cut = Render<UploadPage>();
        if (headerRow)
        {
            Input(cut, "header-row").Change(true);
        }

        cut.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromText(content, fileName));
        cut.WaitForElement("[data-testid=verdict]");
        return cut;
    }

    /// <summary>A MudBlazor check box or radio's input, wherever the component put the test id.</summary>
    private static AngleSharp.Dom.IElement Input(IRenderedComponent<UploadPage> cut, string testId) =>
        cut.Find($"input[data-testid={testId}], [data-testid={testId}] input");
}
