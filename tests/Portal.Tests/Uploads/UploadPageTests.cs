using System.Text;
using System.Text.Json;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.Extensions.Time.Testing;
using Portal.Audit;
using Portal.Auth;
using Portal.Packages;
using Portal.Tencent;
using Portal.Tests.Components;
using Portal.Uploads;

namespace Portal.Tests.Uploads;

/// <summary>
/// The upload page through every state of a transfer and of a send. The page script is stood in for by bUnit's JS
/// interop; the send worker's steps are taken here with the same calls the worker makes, so each state can be held.
/// </summary>
public sealed class UploadPageTests : PortalComponentTest
{
    private const string App = "Campaigns";

    private const long MiB = 1024 * 1024;
    private static readonly JsonSerializerOptions WebJson = new(JsonSerializerDefaults.Web);
    private readonly FakeTimeProvider _clock = new();
    private TestStorage _storage = default!;
    private BunitJSModuleInterop _script = default!;
    private IRenderedComponent<MudBlazor.MudDialogProvider> _dialogs = default!;

    public override async Task InitializeAsync()
    {
        _storage = await TestStorage.CreateAsync();
        UseStorage(_storage, new TencentAppOptions { Name = App, Region = TencentRegion.Custom, BaseUrl = new Uri("http://tencent.test/"), AccessId = "1500000001", SecretKey = "k" });
        Services.AddSingleton<TimeProvider>(_clock);
        SignIn("mia", PortalRoles.Uploader);
        _script = JSInterop.SetupModule(UploadPage.ScriptPath);
        RenderPopoverProvider();
        _dialogs = Render<MudBlazor.MudDialogProvider>();
    }

    protected override Task DisposeTestResourcesAsync()
    {
        _storage.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public void Empty_state_preselects_the_only_app_and_offers_the_drop_zone()
    {
        var cut = Render<UploadPage>();

        Assert.Contains("Drop a file here", cut.Markup, StringComparison.Ordinal);
        Assert.Contains(App, cut.Find("[data-testid=app-select]").OuterHtml, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("[data-testid=accepted], [data-testid=rejected], [data-testid=send-status], [data-testid=failed]"));
    }

    [Fact]
    public void A_transfer_shows_percent_size_rate_and_time_left_then_checking_rows()
    {
        _script.Setup<UploadPage.UploadResponse>("uploadPackage", _ => true);
        var cut = Render<UploadPage>();
        ChooseFile(cut, "accounts.txt", "alice\nbob\n");

        _clock.Advance(TimeSpan.FromSeconds(10));
        cut.InvokeAsync(() => cut.Instance.ReportTransfer(25 * MiB, 100 * MiB));

        cut.WaitForAssertion(() => Assert.Equal("25%", cut.Find("[data-testid=transfer-percent]").TextContent));
        var progress = string.Join(' ', cut.Find("[data-testid=transfer-progress]").TextContent.Split((char[])[' ', '\n'], StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal("Uploading accounts.txt: 25% · 25 MB of 100 MB · 2.5 MB/s · about 30 s left", progress);
        Assert.NotNull(cut.Find("[data-testid=cancel-transfer]"));

        cut.InvokeAsync(() => cut.Instance.ReportTransfer(100 * MiB, 100 * MiB));

        cut.WaitForAssertion(() => Assert.Contains("All 100 MB of accounts.txt arrived. Checking rows…", cut.Find("[data-testid=checking]").TextContent, StringComparison.Ordinal));
        Assert.Equal(UploadPagePhase.Checking, cut.Instance.Phase);
    }

    [Fact]
    public void While_other_files_are_checked_the_page_shows_its_place_in_line_then_how_far_the_check_has_got()
    {
        var upload = _script.Setup<UploadPage.UploadResponse>("uploadPackage", _ => true);
        var cut = Render<UploadPage>();
        ChooseFile(cut, "accounts.txt", "alice\nbob\n");
        var url = (string)upload.Invocations.Single().Arguments[1]!;
        var transferId = Guid.Parse(url[(url.IndexOf("transfer=", StringComparison.Ordinal) + "transfer=".Length)..]);
        using var transfer = Services.GetRequiredService<TransferBoard>().Begin(transferId, "dev-mia")!;
        transfer.QueuePosition = 2;

        _clock.Advance(TimeSpan.FromMilliseconds(300));

        cut.WaitForAssertion(() => Assert.Equal("Other files are being checked: yours is number 2 in line and is checked as soon as a checker is free.",
            cut.Find("[data-testid=checker-queue]").TextContent.Trim()));
        transfer.QueuePosition = 0;
        (transfer.BytesToCheck, transfer.BytesChecked) = (10_000, 4_000);
        cut.InvokeAsync(() => cut.Instance.ReportTransfer(10_000, 10_000));
        _clock.Advance(TimeSpan.FromMilliseconds(300));
        cut.WaitForAssertion(() => Assert.EndsWith("Checking rows… 40%", cut.Find("[data-testid=checking]").TextContent.Trim(), StringComparison.Ordinal));
        Assert.Empty(cut.FindAll("[data-testid=checker-queue]"));
    }

    [Fact]
    public void Cancelling_a_transfer_aborts_the_request_and_says_nothing_was_kept()
    {
        var upload = _script.Setup<UploadPage.UploadResponse>("uploadPackage", _ => true);
        _script.SetupVoid("cancelUpload").SetVoidResult();
        var cut = Render<UploadPage>();
        ChooseFile(cut, "accounts.txt", "alice\nbob\n");
        cut.InvokeAsync(() => cut.Instance.ReportTransfer(1_000, 10_000));

        cut.WaitForElement("[data-testid=cancel-transfer]").Click();
        upload.SetResult(new UploadPage.UploadResponse(0, "", Cancelled: true));

        Assert.Single(_script.Invocations["cancelUpload"]);
        cut.WaitForAssertion(() => Assert.Equal("You cancelled the upload of 'accounts.txt'. Nothing was kept and nothing was sent to Tencent.",
            cut.Find("[data-testid=failed]").TextContent.Trim()));
    }

    [Fact]
    public void Leaving_the_page_during_a_transfer_asks_first_and_staying_keeps_it()
    {
        _script.Setup<UploadPage.UploadResponse>("uploadPackage", _ => true);
        var navigation = Services.GetRequiredService<NavigationManager>();
        var cut = Render<UploadPage>();
        ChooseFile(cut, "accounts.txt", "alice\nbob\n");
        cut.WaitForElement("[data-testid=cancel-transfer]");
        var before = navigation.Uri;

        cut.InvokeAsync(() => navigation.NavigateTo("my-uploads"));

        var dialog = _dialogs.WaitForElement(".mud-dialog");
        Assert.Contains("'accounts.txt' is still being uploaded", dialog.TextContent, StringComparison.Ordinal);
        dialog.QuerySelectorAll("button").Single(button => button.TextContent.Trim() == "Stay").Click();
        _dialogs.WaitForAssertion(() => Assert.Empty(_dialogs.FindAll(".mud-dialog")));
        Assert.Equal(before, navigation.Uri);
        Assert.Equal(UploadPagePhase.Transferring, cut.Instance.Phase);
    }

    [Fact]
    public async Task A_send_goes_through_the_queue_and_sending_with_progress_to_the_uploadId()
    {
        var receipt = await StageAcceptedAsync("accounts.txt");
        var cut = RenderWithServerAnswer(200, JsonSerializer.Serialize(receipt, WebJson));
        ChooseFile(cut, "accounts.txt", "alice\nbob\n");
        cut.WaitForElement("[data-testid=accepted]");
        Assert.Contains(receipt.Sha256, cut.Find("[data-testid=receipt]").TextContent, StringComparison.Ordinal);

        cut.Find("[data-testid=send]").Click();

        cut.WaitForAssertion(() => Assert.Equal("Waiting to be sent to Tencent: number 1 in the queue…", cut.Find("[data-testid=send-queued]").TextContent.Trim()));
        var worker = await Worker.ClaimAsync(_storage);
        await worker.ReportAsync(_storage, bytesSent: receipt.Size / 2, after: TimeSpan.FromSeconds(1));
        cut.WaitForAssertion(() => Assert.Equal("50%", cut.Find("[data-testid=send-percent]").TextContent));
        Assert.Contains($"of {Services.GetRequiredService<Portal.Localization.Formats>().Size(receipt.Size)}", cut.Find("[data-testid=send-progress]").TextContent, StringComparison.Ordinal);

        await worker.FinishAsync(_storage, new SendSucceeded(4242, 0, "", 200, null, 20, false));

        cut.WaitForAssertion(() => Assert.Equal("4242", cut.Find("[data-testid=upload-id]").TextContent.Trim()));
        Assert.Equal(UploadStatus.Sent, (await _storage.Search.FindAsync(receipt.UploadId))!.State.Status);
    }

    [Fact]
    public async Task A_queued_send_can_be_cancelled_and_certainly_was_not_sent()
    {
        var receipt = await StageAcceptedAsync("accounts.txt");
        var cut = RenderWithServerAnswer(200, JsonSerializer.Serialize(receipt, WebJson));
        ChooseFile(cut, "accounts.txt", "alice\nbob\n");
        cut.WaitForElement("[data-testid=send]").Click();

        cut.WaitForElement("[data-testid=cancel-send]").Click();

        cut.WaitForAssertion(() => Assert.Equal("The send was cancelled before any byte left: nothing was sent to Tencent.", cut.Find("[data-testid=cancelled]").TextContent.Trim()));
        Assert.Null(await Worker.TryClaimAsync(_storage));
        Assert.NotNull(cut.Find("[data-testid=retry]"));
    }

    [Fact]
    public async Task Cancelling_a_running_send_asks_its_worker_to_stop_and_its_bytes_may_have_arrived()
    {
        var (cut, receipt, worker) = await SendAcceptedAsync();
        await worker.ReportAsync(_storage, bytesSent: 4, after: TimeSpan.FromSeconds(1));

        cut.WaitForElement("[data-testid=cancel-send]").Click();
        // The click's handler records the request after it returns; the worker's next report must come after that.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while ((await _storage.Search.EventsAfterAsync(0, "cancel-requested", receipt.UploadId, 1)).Count == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        var check = await worker.ReportAsync(_storage, bytesSent: 6, after: TimeSpan.FromSeconds(2));

        Assert.Equal("Mia", check.CancelRequestedBy?.Name, ignoreCase: true);
        cut.WaitForAssertion(() => Assert.StartsWith("Stopping the send (mia asked to cancel)", cut.Find("[data-testid=send-progress]").TextContent.Trim(), StringComparison.Ordinal));
        await worker.FinishAsync(_storage, new SendCancelled(6, MayHaveArrived: true), check.CancelRequestedBy);
        cut.WaitForAssertion(() => Assert.Equal("The send was cancelled after part of the package had left: Tencent may or may not have it. Look in the Tencent Push console before sending it again.",
            cut.Find("[data-testid=cancelled]").TextContent.Trim()));
    }

    [Fact]
    public async Task A_tencent_refusal_is_shown_with_its_message_and_can_be_sent_again()
    {
        var (cut, receipt, worker) = await SendAcceptedAsync();

        await worker.FinishAsync(_storage, new SendFailed(null, 1008003, "auth failure", 200, "Tencent refused the app's credentials (retCode 1008003).", 20, false));

        cut.WaitForAssertion(() => Assert.Contains("retCode 1008003", cut.Find("[data-testid=failed]").TextContent, StringComparison.Ordinal));
        cut.Find("[data-testid=retry]").Click();
        cut.WaitForElement("[data-testid=send-queued]");
        var entry = (await _storage.Search.FindAsync(receipt.UploadId))!;
        Assert.Equal((UploadStatus.Queued, 1), (entry.State.Status, entry.State.Attempts));
    }

    [Fact]
    public async Task A_send_cut_short_by_a_stopping_portal_is_shown_as_interrupted_with_its_one_warning_and_can_be_sent_again()
    {
        var (cut, receipt, worker) = await SendAcceptedAsync();
        const string message = "Interrupted: the portal stopped while sending it, after 4 bytes had left. The package may or may not have arrived at Tencent.";

        await worker.FinishAsync(_storage, new SendInterrupted(null, null, null, null, message, 20, MayHaveArrived: true));

        cut.WaitForAssertion(() => Assert.Equal(message, cut.Find("[data-testid=interrupted]").TextContent.Trim()));
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(cut.Find("[data-testid=send-status]").TextContent, "may or may not have arrived"));
        Assert.NotNull(cut.Find("[data-testid=retry]"));
    }

    [Fact]
    public async Task In_chinese_the_verdict_names_what_will_be_sent_and_success_shows_the_uploadId_with_a_push_request_to_copy()
    {
        UseCulture("zh-CN");
        var receipt = await StageAcceptedAsync("accounts.txt");
        var cut = RenderWithServerAnswer(200, JsonSerializer.Serialize(receipt, WebJson));
        ChooseFile(cut, "accounts.txt", "alice\nbob\n");

        cut.WaitForAssertion(() => Assert.Equal("2 行：将发送 2 个账号", cut.Find("[data-testid=summary]").TextContent));
        Assert.Contains("accounts.txt 符合腾讯的全部规则", cut.Find("[data-testid=accepted]").TextContent, StringComparison.Ordinal);
        Assert.Equal("发送到 Campaigns", cut.Find("[data-testid=send]").TextContent.Trim());
        cut.Find("[data-testid=send]").Click();
        var worker = await Worker.ClaimAsync(_storage);
        // The send worker announces its outcome from its own thread, in the server's culture, not the reader's.
        await Task.Run(() =>
        {
            UseCulture("en");
            return worker.FinishAsync(_storage, new SendSucceeded(4242, 0, "", 200, null, 20, false));
        });

        cut.WaitForAssertion(() => Assert.Equal("4242", cut.Find("[data-testid=upload-id]").TextContent.Trim()));
        Assert.Contains("腾讯已接受原始文件：2 个账号", cut.Find("[data-testid=sent]").TextContent, StringComparison.Ordinal);
        var example = cut.Find("[data-testid=push-example]").TextContent;
        Assert.Contains("\"audience_type\": \"package_account_push\"", example, StringComparison.Ordinal);
        Assert.Contains("\"upload_id\": 4242,", example, StringComparison.Ordinal);
        cut.Find("[data-testid=copy-upload-id]").Click();
        Assert.Equal("4242", JSInterop.Invocations["navigator.clipboard.writeText"].Last().Arguments[0]);
    }

    [Fact]
    public async Task In_chinese_a_tencent_refusal_is_explained_by_its_retCode_in_chinese()
    {
        UseCulture("zh-CN");
        var (cut, receipt, worker) = await SendAcceptedAsync();

        await worker.FinishAsync(_storage, new SendFailed(null, 1008003, "auth failure", 200, "Tencent refused the app's credentials (retCode 1008003).", 20, false));

        cut.WaitForAssertion(() => Assert.Equal(
            "腾讯移动推送拒绝了应用“Campaigns”的凭据（retCode 1008003）。请管理员检查其 AccessID 和 SecretKey（腾讯移动推送控制台 > 配置管理 > 基础配置）。",
            cut.Find("[data-testid=failed]").TextContent.Trim()));
    }

    [Fact]
    public async Task Sending_again_a_package_that_may_have_reached_tencent_asks_first()
    {
        var (cut, receipt, worker) = await SendAcceptedAsync();
        await worker.FinishAsync(_storage, new SendInterrupted(null, null, null, null, "Interrupted after 4 bytes had left.", 20, MayHaveArrived: true));

        cut.WaitForElement("[data-testid=retry]").Click();

        var dialog = _dialogs.WaitForElement(".mud-dialog");
        Assert.Contains("second uploadId", dialog.TextContent, StringComparison.Ordinal);
        dialog.QuerySelectorAll("button").Single(button => button.TextContent.Trim() == "Do not send").Click();
        cut.WaitForAssertion(() => Assert.Empty(_dialogs.FindAll(".mud-dialog")));
        Assert.Equal(UploadStatus.Interrupted, (await _storage.Search.FindAsync(receipt.UploadId))!.State.Status);
    }

    [Fact]
    public void In_chinese_the_problems_are_told_by_their_reason()
    {
        UseCulture("zh-CN");
        var receipt = new UploadReceipt(Guid.NewGuid(), "accounts.csv", 20, new string('a', 64), Report(
            originalSendable: false, clean: null,
            problems: [new PackageProblem(2, ProblemReason.MultipleColumns, "b,c", "has more than one column")]));
        var cut = RenderWithServerAnswer(200, JsonSerializer.Serialize(receipt, WebJson));

        ChooseFile(cut, "accounts.csv", "alice\nb,c\n");

        cut.WaitForElement("[data-testid=rejected]");
        Assert.Equal("2b,c有多列；腾讯只接受只有一列的 CSV。", cut.Find("[data-testid=problems] tbody tr").TextContent.Trim());
        Assert.Equal("问题", cut.Find("h2").TextContent);
    }

    [Theory]
    [InlineData("en", "“accounts.csv” is a PNG image, not a list of accounts.")]
    [InlineData("zh-CN", "“accounts.csv”是PNG 图片，不是账号名单。")]
    public void A_picture_named_csv_is_named_for_what_it_is_and_not_uploaded(string culture, string expected)
    {
        UseCulture(culture);
        var upload = _script.Setup<UploadPage.UploadResponse>("uploadPackage", _ => true);
        var cut = Render<UploadPage>();

        cut.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromBinary([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13], "accounts.csv"));

        cut.WaitForAssertion(() => Assert.StartsWith(expected, cut.Find("[data-testid=failed]").TextContent.Trim(), StringComparison.Ordinal));
        Assert.Empty(upload.Invocations);
    }

    [Fact]
    public async Task The_same_package_already_sent_to_the_app_says_who_when_and_its_uploadId_and_asks_before_sending_again()
    {
        var receipt = await StageAcceptedAsync("accounts.txt");
        var earlier = await _storage.RecordAsync(TestStorage.Upload("last-week.txt") with { Sha256 = receipt.Sha256, TencentApp = App, UserName = "Noah Newsletter" });
        await _storage.SendAsync(earlier, 1111);
        var cut = RenderWithServerAnswer(200, JsonSerializer.Serialize(receipt, WebJson));
        ChooseFile(cut, "accounts.txt", "alice\nbob\n");

        var warning = cut.WaitForElement("[data-testid=same-file]").TextContent;
        Assert.Contains($"already sent to {App} by Noah Newsletter", warning, StringComparison.Ordinal);
        Assert.Contains("uploadId 1111", warning, StringComparison.Ordinal);
        cut.Find("[data-testid=send]").Click();
        var dialog = _dialogs.WaitForElement(".mud-dialog");
        Assert.Contains("second uploadId", dialog.TextContent, StringComparison.Ordinal);
        dialog.QuerySelectorAll("button").Single(button => button.TextContent.Trim() == "Do not send").Click();
        cut.WaitForAssertion(() => Assert.Empty(_dialogs.FindAll(".mud-dialog")));
        Assert.Equal(UploadStatus.Validated, (await _storage.Search.FindAsync(receipt.UploadId))!.State.Status);

        cut.Find("[data-testid=send]").Click();
        _dialogs.WaitForElement(".mud-dialog").QuerySelectorAll("button").Single(button => button.TextContent.Trim() == "Send again").Click();

        cut.WaitForElement("[data-testid=send-queued]");
    }

    [Fact]
    public async Task A_package_sent_to_another_app_is_not_the_same_send()
    {
        var receipt = await StageAcceptedAsync("accounts.txt");
        var elsewhere = await _storage.RecordAsync(TestStorage.Upload("other-app.txt") with { Sha256 = receipt.Sha256, TencentApp = "Another app" });
        await _storage.SendAsync(elsewhere, 2222);
        var cut = RenderWithServerAnswer(200, JsonSerializer.Serialize(receipt, WebJson));
        ChooseFile(cut, "accounts.txt", "alice\nbob\n");

        cut.WaitForElement("[data-testid=send]").Click();

        cut.WaitForElement("[data-testid=send-queued]");
        Assert.Empty(cut.FindAll("[data-testid=same-file]"));
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
    public void A_refused_upload_shows_the_servers_reason()
    {
        var cut = RenderWithServerAnswer(413, """{"detail":"'big.txt' is larger than 104,857,600 bytes (100 MB), the most Tencent accepts."}""");

        ChooseFile(cut, "big.txt", "alice\n");

        cut.WaitForAssertion(() => Assert.Contains("'big.txt' is larger than", cut.Find("[data-testid=failed]").TextContent, StringComparison.Ordinal));
    }

    /// <summary>An accepted file chosen on the page and sent: the page, its receipt, and the worker that claimed the send.</summary>
    private async Task<(IRenderedComponent<UploadPage> Page, UploadReceipt Receipt, Worker Worker)> SendAcceptedAsync()
    {
        var receipt = await StageAcceptedAsync("accounts.txt");
        var cut = RenderWithServerAnswer(200, JsonSerializer.Serialize(receipt, WebJson));
        ChooseFile(cut, "accounts.txt", "alice\nbob\n");
        cut.WaitForElement("[data-testid=send]").Click();
        return (cut, receipt, await Worker.ClaimAsync(_storage));
    }

    private IRenderedComponent<UploadPage> RenderWithServerAnswer(int status, string body)
    {
        _script.Setup<UploadPage.UploadResponse>("uploadPackage", _ => true).SetResult(new UploadPage.UploadResponse(status, body));
        return Render<UploadPage>();
    }

    private static void ChooseFile(IRenderedComponent<UploadPage> cut, string name, string content) =>
        cut.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromText(content, name));

    private async Task<UploadReceipt> StageAcceptedAsync(string fileName)
    {
        var staging = new StagingStore(_storage.Options);
        var staged = (await staging.StageAsync(new MemoryStream(Encoding.UTF8.GetBytes("alice\nbob\n")), CancellationToken.None))!;
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

    /// <summary>The send worker's steps, taken by hand: claim with a lease, report progress, record the outcome.</summary>
    private sealed record Worker(ClaimedSend Job, DateTime Started)
    {
        private const string Id = "test-worker";

        public static async Task<ClaimedSend?> TryClaimAsync(TestStorage storage) =>
            await storage.Trail.WriteAsync(writer => SendJobs.ClaimNextAsync(writer, Id, writer.Now.AddMinutes(1), []));

        public static async Task<Worker> ClaimAsync(TestStorage storage)
        {
            var job = await storage.Store.WriteAsync(Guid.Empty, async writer =>
            {
                var claimed = (await SendJobs.ClaimNextAsync(writer, Id, writer.Now.AddMinutes(1), []))!;
                Assert.NotNull(await UploadStore.RecordAsync(writer, claimed.UploadId, AuditActor.System, new SendStarted(claimed.Attempt, Id)));
                return claimed;
            });
            storage.Changes.Notify(job.UploadId);
            return new Worker(job, DateTime.UtcNow);
        }

        public async Task<LeaseCheck> ReportAsync(TestStorage storage, long bytesSent, TimeSpan after)
        {
            await using var connection = await storage.Connections.OpenAsync();
            var now = Started + after;
            var check = await SendJobs.RenewAsync(connection, Job.UploadId, Id, now, now.AddMinutes(1), bytesSent);
            storage.Changes.Notify(Job.UploadId);
            return check;
        }

        public Task FinishAsync(TestStorage storage, UploadEvent outcome, AuditActor? actor = null) =>
            storage.Store.WriteAsync(Job.UploadId, async writer =>
            {
                Assert.True(await SendJobs.ReleaseAsync(writer, Job.UploadId, Id));
                return Assert.IsType<UploadState>(await UploadStore.RecordAsync(writer, Job.UploadId, actor ?? AuditActor.System, outcome));
            });
    }
}
