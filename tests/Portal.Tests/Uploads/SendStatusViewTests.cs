using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Portal.Audit;
using Portal.Auth;
using Portal.Localization;
using Portal.Tencent;
using Portal.Tests.Components;
using Portal.Uploads;

namespace Portal.Tests.Uploads;

/// <summary>The send status on its own: what it says after a failed send, in both languages, on a clock the test turns.</summary>
public sealed class SendStatusViewTests : PortalComponentTest
{
    private const string App = "Campaigns";
    private static readonly TencentAppOptions Campaigns = new()
    {
        Name = App, Region = TencentRegion.Custom, BaseUrl = new Uri("http://tencent.test/"), AccessId = "1500000001", SecretKey = "k",
    };

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 2, 8, 0, 0, TimeSpan.Zero));
    private TestStorage _storage = default!;

    public override async Task InitializeAsync()
    {
        _storage = await TestStorage.CreateAsync();
        UseStorage(_storage, Campaigns);
        Services.AddSingleton<TimeProvider>(_clock);
        SignIn("mia", PortalRoles.Uploader);
    }

    protected override Task DisposeTestResourcesAsync()
    {
        _storage.Dispose();
        return Task.CompletedTask;
    }

    [Theory]
    [InlineData("en", "Tencent Push asked the portal to slow down: nothing is sent to Campaigns before 2 Dec 2026, 16:01:30", "sending is possible again in 1:30", "in 0:01")]
    [InlineData("zh-CN", "腾讯移动推送要求门户放慢速度：向 Campaigns 的发送暂停至 2026年12月2日 16:01:30", "1:30 后可以再次发送", "0:01 后")]
    public async Task After_a_rate_limit_a_live_countdown_in_local_time_holds_the_retry_until_the_pause_ends(
        string culture, string pausedUntil, string countdown, string lastSecond)
    {
        UseCulture(culture);
        var upload = await FailedAsync(new SendFailed(null, TencentRetCodes.RequestTooFast, "request too fast", 200, "Tencent Push says too fast.", 20, false));
        await PauseAsync(_clock.GetUtcNow().AddSeconds(90));

        var cut = RenderStatus(upload.Id);

        var pause = cut.WaitForElement("[data-testid=rate-limit-pause]", Patience);
        Assert.Equal(pausedUntil, Squash(pause.TextContent.Split('·')[0]));
        Assert.Equal("2026-12-02 08:01:30 UTC", cut.Find("[data-testid=paused-until]").GetAttribute("title"));
        Assert.Equal(countdown, cut.Find("[data-testid=pause-countdown]").TextContent);
        Assert.True(cut.Find("[data-testid=retry]").HasAttribute("disabled"));

        _clock.Advance(TimeSpan.FromSeconds(89));
        cut.WaitForAssertion(() => Assert.Contains(lastSecond, cut.Find("[data-testid=pause-countdown]").TextContent, StringComparison.Ordinal), Patience);
        Assert.True(cut.Find("[data-testid=retry]").HasAttribute("disabled"));

        _clock.Advance(TimeSpan.FromSeconds(1));
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("[data-testid=rate-limit-pause]")), Patience);
        Assert.False(cut.Find("[data-testid=retry]").HasAttribute("disabled"));
    }

    [Fact]
    public async Task A_failure_without_a_pause_can_be_sent_again_at_once()
    {
        var upload = await FailedAsync(new SendFailed(null, 1008003, "auth failure", 200, "Tencent refused the app's credentials.", 20, false));
        await PauseAsync(_clock.GetUtcNow().AddSeconds(-1));

        var cut = RenderStatus(upload.Id);

        cut.WaitForElement("[data-testid=failed]", Patience);
        Assert.Empty(cut.FindAll("[data-testid=rate-limit-pause]"));
        Assert.False(cut.Find("[data-testid=retry]").HasAttribute("disabled"));
    }

    private const string GatewayPage = "Tencent Push failed with HTTP 502: \"<html><body><h1>502 Bad Gateway</h1></body></html>\". Send the package again in a few minutes. "
        + "The package may have reached Tencent anyway: if you send it again, Tencent may keep two copies; use only the uploadId you are given.";

    private const string Timeout = "Tencent Push at tencent.test stopped taking the package: 4 of 10 bytes were sent within 30 seconds. The package did not arrive: send it again later.";

    [Theory]
    [InlineData("en", 502, GatewayPage, true,
        "Tencent Push failed with a server error (HTTP 502). Send the package again in a few minutes; if it keeps failing, check Tencent Cloud's service status. "
        + "The package may have reached Tencent anyway: if you send it again, Tencent may keep two copies; use only the uploadId you are given.")]
    [InlineData("zh-CN", 502, GatewayPage, true,
        "腾讯移动推送发生服务器错误（HTTP 502）。请几分钟后再发送；如果一直失败，请查看腾讯云的服务状态。号码包可能仍已到达腾讯：如果再次发送，腾讯可能保留两份；请只使用门户给出的 uploadId。")]
    [InlineData("en", 204, "Tencent Push answered HTTP 204 instead of 200: (an empty body). The package may have reached Tencent anyway: if you send it again, Tencent may keep two copies; use only the uploadId you are given.", true,
        "Tencent Push answered, but not with an uploadId the portal could read (HTTP 204). Ask an administrator to look at the portal's log for this send. "
        + "The package may have reached Tencent anyway: if you send it again, Tencent may keep two copies; use only the uploadId you are given.")]
    [InlineData("en", null, Timeout, false, Timeout)]
    [InlineData("zh-CN", null, Timeout, false,
        "号码包没有到达腾讯移动推送：连接无法建立，或在文件发完之前超时或断开，没有发送任何内容。请几分钟后再发送；如果一直如此，请管理员检查门户到腾讯的网络连接。")]
    public async Task A_failure_without_a_retCode_is_told_in_plain_words_with_a_next_step_and_its_warning_once(
        string culture, int? httpStatus, string recorded, bool mayHaveArrived, string expected)
    {
        UseCulture(culture);
        var upload = await FailedAsync(new SendFailed(null, null, null, httpStatus, recorded, 20, mayHaveArrived));

        var cut = RenderStatus(upload.Id);

        var failure = cut.WaitForElement("[data-testid=failed]", Patience).TextContent.Trim();
        Assert.Equal(expected, failure);
        Assert.DoesNotContain("<", failure, StringComparison.Ordinal);
        Assert.False(cut.Find("[data-testid=retry]").HasAttribute("disabled"));
    }

    [Theory]
    [InlineData("en", "Cancelled before it was sent: nothing reached Tencent.")]
    [InlineData("zh-CN", "已在发送前取消：腾讯没有收到任何内容。")]
    public async Task Cancelling_a_queued_send_answers_in_the_readers_language(string culture, string answer)
    {
        UseCulture(culture);
        var upload = await _storage.RecordAsync(TestStorage.Upload() with { TencentApp = App });
        var mia = new AuditActor(upload.UserId, upload.UserName);
        var send = new SendConfirmed(SendVariant.Original, upload.Sha256, upload.FileSize, upload.ValidCount);
        await _storage.Store.WriteAsync(upload.Id, async writer =>
        {
            Assert.NotNull(await UploadStore.RecordAsync(writer, upload.Id, mia, send));
            await SendJobs.EnqueueAsync(writer, upload.Id, 1, send, App, mia);
            return true;
        });
        var cut = RenderStatus(upload.Id);

        cut.WaitForElement("[data-testid=cancel-send]", Patience).Click();

        cut.WaitForAssertion(() => Assert.Equal(answer, cut.Find("[data-testid=send-action-message]").TextContent), Patience);
    }

    private IRenderedComponent<CascadingValue<ViewerTimeZone>> RenderStatus(Guid uploadId) =>
        Render<CascadingValue<ViewerTimeZone>>(parameters => parameters
            .Add(cascade => cascade.Value, ViewerTimeZone.FromId("Asia/Shanghai"))
            .AddChildContent<SendStatusView>(status => status.Add(s => s.UploadId, uploadId)));

    /// <summary>An upload of Mia's whose send ended with <paramref name="outcome"/>.</summary>
    private async Task<UploadRecord> FailedAsync(SendOutcome outcome)
    {
        var upload = await _storage.RecordAsync(TestStorage.Upload() with { TencentApp = App });
        var mia = new AuditActor(upload.UserId, upload.UserName);
        Assert.NotNull(await _storage.RecordAsync(upload.Id, mia, new SendConfirmed(SendVariant.Original, upload.Sha256, upload.FileSize, upload.ValidCount)));
        Assert.NotNull(await _storage.RecordAsync(upload.Id, AuditActor.System, new SendStarted(1)));
        Assert.NotNull(await _storage.RecordAsync(upload.Id, AuditActor.System, outcome));
        return upload;
    }

    /// <summary>Tencent's "request too fast" as another portal on the database recorded it.</summary>
    private Task PauseAsync(DateTimeOffset until) =>
        _storage.Trail.WriteAsync(async writer => { await SendJobs.PauseAppAsync(writer, TencentRateLimitGate.KeyOf(Campaigns), until); return true; });

    private static string Squash(string text) => string.Join(' ', text.Split((char[])[' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries));
}
