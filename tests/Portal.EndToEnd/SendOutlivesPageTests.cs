using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Portal.Audit;
using Portal.DevStack;
using Portal.Uploads;

namespace Portal.EndToEnd;

/// <summary>
/// A send is a background job, not a request of the page: the marketer presses Send, closes the tab while the slow
/// Tencent app has not answered yet, and finds the upload sent under My uploads in a new tab, with the uploadId Tencent gave.
/// </summary>
public sealed partial class SendOutlivesPageTests() : ChromiumTest(new Dictionary<string, string?>
{
    // A second simulator app that takes the package at once and answers only after a while, as in SendWorkerTests.
    ["DevStack:TencentSimulator:Apps:1:AccessId"] = SlowAppAccessId,
    ["DevStack:TencentSimulator:Apps:1:Fault"] = $"latency={SlowAppLatencySeconds}s",
    ["Tencent:Apps:1:Name"] = SlowApp,
    ["Tencent:Apps:1:Region"] = "Simulator",
    ["Tencent:Apps:1:AccessId"] = SlowAppAccessId,
})
{
    private const string SlowApp = "Slow app (simulator)";
    private const string SlowAppAccessId = "1500000011";

    /// <summary>Long enough that the tab is closed and My uploads is open before Tencent answers.</summary>
    private const int SlowAppLatencySeconds = 10;

    private const string FileName = "outlives-the-page.txt";

    [Fact]
    public Task A_send_goes_on_after_its_page_is_closed_and_My_uploads_shows_it_sent() => JourneyAsync(async context =>
    {
        var page = await context.NewPageAsync();
        await SignInAsync(page, "upload", "mia");
        await ChooseAsync(page, "app-select", SlowApp);
        await FilePickerReadyAsync(page);

        var package = Encoding.UTF8.GetBytes($"e2e-{Guid.NewGuid():N}\nuser-000002\nuser-000003\n");
        await page.Locator("#package-picker input[type=file]").SetInputFilesAsync(new FilePayload
        {
            Name = FileName,
            MimeType = "text/plain",
            Buffer = package,
        });
        await Expect(page.GetByTestId("accepted")).ToContainTextAsync("3 accounts");
        await page.GetByTestId("send").ClickAsync();
        await Expect(page.GetByTestId("send-status")).ToHaveAttributeAsync("data-status", ActiveStatus());
        var uploadId = Guid.ParseExact(
            (await page.GetByRole(AriaRole.Link, new() { Name = "See its history" }).GetAttributeAsync("href"))!["uploads/".Length..], "N");
        await ScreenshotAsync(page, "1-sending.png");

        // Closing the tab ends its circuit; the send is the worker's, and still waiting for Tencent's answer.
        await page.CloseAsync();
        var search = Portal.Services.GetRequiredService<AuditSearch>();
        Assert.True(UploadLifecycle.IsActive((await search.FindAsync(uploadId))!.State.Status), "The send ended before its page was closed.");

        var myUploads = await context.NewPageAsync();
        await myUploads.GotoAsync("my-uploads");
        var row = myUploads.GetByRole(AriaRole.Row).Filter(new() { Has = myUploads.GetByTestId("audit-file").GetByText(FileName, new() { Exact = true }) });
        await Expect(row).ToHaveCountAsync(1);
        await Expect(row.GetByTestId("audit-status")).ToHaveAttributeAsync("data-status", ActiveStatus());
        await ScreenshotAsync(myUploads, "2-my-uploads-active.png");

        // No reload: the grid follows a row whose send is under way until it settles.
        await Expect(row.GetByTestId("audit-status")).ToHaveAttributeAsync("data-status", "sent", new() { Timeout = (SlowAppLatencySeconds + 20) * 1000 });
        var recorder = Portal.Services.GetRequiredService<TencentSimulatorRecorder>();
        var received = Assert.Single(recorder.Received);
        await Expect(row.GetByTestId("audit-upload-id")).ToHaveTextAsync(received.UploadId.ToString(CultureInfo.InvariantCulture));
        await ScreenshotAsync(myUploads, "3-my-uploads-sent.png");

        Assert.Equal(1, recorder.RequestCount);
        Assert.Equal((SlowAppAccessId, FileName, package.Length), (received.AccessId, received.FileName, received.Size));
        Assert.Equal(received.UploadId, (await search.FindAsync(uploadId))!.State.TencentUploadId);
    });

    [GeneratedRegex("^(queued|sending)$")]
    private static partial Regex ActiveStatus();
}
