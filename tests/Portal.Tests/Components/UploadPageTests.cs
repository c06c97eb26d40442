using System.Net;
using System.Text;
using System.Text.Json;
using Bunit;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Portal.Audit;
using Portal.Auth;
using Portal.Packages;
using Portal.Tencent;
using Portal.Uploads;

namespace Portal.Tests.Components;

public sealed class UploadPageTests : PortalComponentTest
{
    private const string App = "Campaigns";
    private static readonly JsonSerializerOptions WebJson = new(JsonSerializerDefaults.Web);
    private TestStorage _storage = default!;
    private Func<HttpResponseMessage> _tencentAnswer = () => Json("""{"retCode":0,"errMsg":"","uploadId":4242}""");

    public override async Task InitializeAsync()
    {
        _storage = await TestStorage.CreateAsync();
        var tencentOptions = Options.Create(new TencentOptions
        {
            Apps = [new TencentAppOptions { Name = App, Region = TencentRegion.Custom, BaseUrl = new Uri("http://tencent.test/"), AccessId = "1500000001", SecretKey = "k" }],
        });
        Services.AddSingleton(tencentOptions);
        Services.AddSingleton(_storage.Audit);
        Services.AddSingleton(_storage.Search);
        Services.AddSingleton(new StagingStore(_storage.Options));
        Services.AddSingleton(TimeProvider.System);
        Services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        Services.AddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
        Services.AddSingleton(new TencentPushClient(new HttpClient(new AnsweringHandler(() => _tencentAnswer())), tencentOptions, NullLogger<TencentPushClient>.Instance));
        Services.AddScoped<UploadService>();
        SignIn("mia", PortalRoles.Uploader);
    }

    protected override Task DisposeTestResourcesAsync()
    {
        _storage.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public void Empty_state_preselects_the_only_app_and_offers_the_drop_zone()
    {
        RenderPopoverProvider();

        var cut = Render<UploadPage>();

        Assert.Contains("Drop a file here", cut.Markup, StringComparison.Ordinal);
        Assert.Contains(App, cut.Find("[data-testid=app-select]").OuterHtml, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("[data-testid=accepted], [data-testid=rejected], [data-testid=sent], [data-testid=failed]"));
    }

    [Fact]
    public async Task An_accepted_package_shows_its_details_and_can_be_sent_to_get_the_uploadId()
    {
        var receipt = await StageAcceptedAsync("accounts.txt", "alice\nbob\n");
        var cut = RenderWithServerAnswer(200, JsonSerializer.Serialize(receipt, WebJson));

        ChooseFile(cut, "accounts.txt", "alice\nbob\n");

        cut.WaitForElement("[data-testid=accepted]");
        Assert.Contains(receipt.Sha256, cut.Find("[data-testid=receipt]").TextContent, StringComparison.Ordinal);
        cut.Find("[data-testid=send]").Click();
        cut.WaitForAssertion(() => Assert.Equal("4242", cut.Find("[data-testid=upload-id]").TextContent.Trim()));
        Assert.Equal("sent", (await _storage.Search.FindAsync(receipt.UploadId))!.State.Status);
    }

    [Fact]
    public void A_rejected_package_lists_its_problems_with_line_numbers_and_offers_no_send()
    {
        var receipt = new UploadReceipt(Guid.NewGuid(), "accounts.csv", 20, new string('a', 64), Report(
            originalSendable: false, clean: null,
            problems: [new PackageProblem(2, ProblemReason.MultipleColumns, "b,c", "has more than one column"), new PackageProblem(3, ProblemReason.TooShort, "x", "is too short")]));
        var cut = RenderWithServerAnswer(200, JsonSerializer.Serialize(receipt, WebJson));

        ChooseFile(cut, "accounts.csv", "alice\nb,c\n\n");

        cut.WaitForElement("[data-testid=rejected]");
        var rows = cut.FindAll("[data-testid=problems] tbody tr");
        Assert.Equal(["2b,chas more than one column", "3xis too short"], rows.Select(r => r.TextContent.Trim()));
        Assert.Empty(cut.FindAll("[data-testid=send]"));
    }

    [Fact]
    public async Task A_tencent_refusal_is_shown_as_a_failure_with_its_retCode()
    {
        _tencentAnswer = () => Json("""{"retCode":1008003,"errMsg":"auth failure","uploadId":0}""");
        var receipt = await StageAcceptedAsync("accounts.txt", "alice\nbob\n");
        var cut = RenderWithServerAnswer(200, JsonSerializer.Serialize(receipt, WebJson));

        ChooseFile(cut, "accounts.txt", "alice\nbob\n");
        cut.WaitForElement("[data-testid=send]").Click();

        cut.WaitForAssertion(() => Assert.Contains("retCode 1008003", cut.Find("[data-testid=failed]").TextContent, StringComparison.Ordinal));
        Assert.Equal("failed", (await _storage.Search.FindAsync(receipt.UploadId))!.State.Status);
    }

    [Fact]
    public async Task After_a_tencent_outage_the_uploader_retries_and_gets_the_uploadId()
    {
        var answers = new Queue<HttpResponseMessage>([new HttpResponseMessage(HttpStatusCode.ServiceUnavailable) { Content = new StringContent("<html>busy</html>") },
            Json("""{"retCode":0,"errMsg":"","uploadId":5151}""")]);
        _tencentAnswer = answers.Dequeue;
        var receipt = await StageAcceptedAsync("accounts.txt", "alice\nbob\n");
        var cut = RenderWithServerAnswer(200, JsonSerializer.Serialize(receipt, WebJson));

        ChooseFile(cut, "accounts.txt", "alice\nbob\n");
        cut.WaitForElement("[data-testid=send]").Click();
        cut.WaitForAssertion(() => Assert.Contains("503", cut.Find("[data-testid=failed]").TextContent, StringComparison.Ordinal));
        cut.Find("[data-testid=retry]").Click();

        cut.WaitForAssertion(() => Assert.Equal("5151", cut.Find("[data-testid=upload-id]").TextContent.Trim()));
        var entry = (await _storage.Search.FindAsync(receipt.UploadId))!;
        Assert.Equal((AuditEventKinds.Sent, 2), (entry.State.Status, entry.State.Attempts));
    }

    [Fact]
    public void A_refused_upload_shows_the_servers_reason()
    {
        var cut = RenderWithServerAnswer(413, """{"detail":"'big.txt' is larger than 104,857,600 bytes (100 MB), the most Tencent accepts."}""");

        ChooseFile(cut, "big.txt", "alice\n");

        cut.WaitForAssertion(() => Assert.Contains("'big.txt' is larger than", cut.Find("[data-testid=failed]").TextContent, StringComparison.Ordinal));
    }

    private IRenderedComponent<UploadPage> RenderWithServerAnswer(int status, string body)
    {
        var module = JSInterop.SetupModule(UploadPage.ScriptPath);
        module.Setup<UploadPage.UploadResponse>("uploadPackage", _ => true).SetResult(new UploadPage.UploadResponse(status, body));
        RenderPopoverProvider();
        return Render<UploadPage>();
    }

    private static void ChooseFile(IRenderedComponent<UploadPage> cut, string name, string content) =>
        cut.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromText(content, name));

    private async Task<UploadReceipt> StageAcceptedAsync(string fileName, string content)
    {
        var staging = new StagingStore(_storage.Options);
        var staged = (await staging.StageAsync(new MemoryStream(Encoding.UTF8.GetBytes(content)), CancellationToken.None))!;
        await _storage.RecordAsync(TestStorage.Upload(fileName) with
        {
            Id = staged.Id, UserId = "dev-mia", TencentApp = App, FileSize = staged.Size, Sha256 = staged.Sha256,
        });
        return new UploadReceipt(staged.Id, fileName, staged.Size, staged.Sha256, Report(originalSendable: true, clean: null, problems: []));
    }

    private static ValidationReport Report(bool originalSendable, CleanPackage? clean, IReadOnlyList<PackageProblem> problems) => new()
    {
        FileName = "accounts.txt",
        Kind = PackageKind.Account,
        OriginalSendable = originalSendable,
        CleanPackage = clean,
        DetectedEncoding = "UTF-8",
        RowCount = 2 + problems.Count,
        ValidCount = 2,
        InvalidCount = problems.Count,
        InvalidByReason = problems.GroupBy(p => p.Reason).ToDictionary(g => g.Key, g => (long)g.Count()),
        DuplicateCount = 0,
        BlankRowCount = 0,
        ProblemCount = problems.Count,
        Problems = problems,
        Warnings = [],
        Duplicates = [],
        Preview = ["alice", "bob"],
    };

    private static HttpResponseMessage Json(string body) => new(HttpStatusCode.OK) { Content = new StringContent(body, Encoding.UTF8, "application/json") };

    /// <summary>Stands in for Tencent in component tests; the client itself is tested against the simulator over HTTP.</summary>
    private sealed class AnsweringHandler(Func<HttpResponseMessage> answer) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) => Task.FromResult(answer());
    }
}
