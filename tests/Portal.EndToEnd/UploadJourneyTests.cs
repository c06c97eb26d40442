using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Portal.DevStack;

namespace Portal.EndToEnd;

/// <summary>
/// A person's whole journey in Debian's Chromium: sign in through the development identity provider, upload a small
/// package, read Tencent's uploadId on screen, then sign in as the auditor and find the row.
/// </summary>
public sealed partial class UploadJourneyTests : ChromiumTest
{
    [Fact]
    public Task Marketer_uploads_a_package_gets_the_uploadId_and_the_auditor_sees_it() => JourneyAsync(async context =>
    {
        var page = await context.NewPageAsync();
        await SignInAsync(page, "upload", "mia");
        await Expect(page.GetByTestId("signed-in-user")).ToHaveTextAsync("Mia Marketing");
        await FilePickerReadyAsync(page);

        var package = Encoding.UTF8.GetBytes($"e2e-{Guid.NewGuid():N}\nuser-000002\n张伟\n");
        await page.Locator("#package-picker input[type=file]").SetInputFilesAsync(new FilePayload
        {
            Name = "campaign-accounts.txt",
            MimeType = "text/plain",
            Buffer = package,
        });
        await Expect(page.GetByTestId("accepted")).ToContainTextAsync("3 accounts");
        await ScreenshotAsync(page, "1-accepted.png");

        // The send is queued for the background worker; the page follows it live until Tencent's answer.
        await page.GetByTestId("send").ClickAsync();
        await Expect(page.GetByTestId("send-status")).ToHaveAttributeAsync("data-status", "sent", new() { Timeout = 30_000 });
        await Expect(page.GetByTestId("upload-id")).ToHaveTextAsync(UploadIdPattern());
        var uploadIdText = (await page.GetByTestId("upload-id").InnerTextAsync()).Trim();
        await ScreenshotAsync(page, "2-sent.png");

        var received = Portal.Services.GetRequiredService<TencentSimulatorRecorder>().Received.Single();
        Assert.Equal(received.UploadId.ToString(System.Globalization.CultureInfo.InvariantCulture), uploadIdText);
        Assert.Equal(package.Length, received.Size);

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "You have signed out" })).ToBeVisibleAsync();

        await SignInAsync(page, "audit", "aaron");
        await Expect(page.GetByTestId("audit-upload-id").First).ToHaveTextAsync(uploadIdText);
        await Expect(page.GetByTestId("audit-grid")).ToContainTextAsync("campaign-accounts.txt");
        await Expect(page.GetByTestId("audit-grid")).ToContainTextAsync("Mia Marketing");

        // The auditor narrows the log to this uploadId and exports exactly that view.
        await page.GetByTestId("filter-upload-id").FillAsync(uploadIdText);
        await page.GetByTestId("apply-filters").ClickAsync();
        await Expect(page.GetByTestId("audit-upload-id")).ToHaveCountAsync(1);
        await ScreenshotAsync(page, "3-audit.png");
        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByTestId("export-csv").ClickAsync());
        var csv = await File.ReadAllLinesAsync((await download.PathAsync())!);
        Assert.Equal(2, csv.Length);
        Assert.Contains(",campaign-accounts.txt,", csv[1], StringComparison.Ordinal);
        Assert.Contains($",{uploadIdText},", csv[1], StringComparison.Ordinal);

        // The upload's own page tells its whole story, and the dashboard counts it.
        await page.GetByTestId("audit-file").First.ClickAsync();
        await Expect(page.GetByTestId("detail-upload-id")).ToHaveTextAsync(uploadIdText);
        await Expect(page.GetByTestId("upload-events").Locator("tbody tr [data-kind]")).ToHaveCountAsync(5);
        Assert.Equal(["received", "validated", "confirmed", "sending", "sent"],
            await page.GetByTestId("upload-events").Locator("tbody tr [data-kind]").EvaluateAllAsync<string[]>("cells => cells.map(cell => cell.dataset.kind)"));
        await ScreenshotAsync(page, "4-detail.png");

        // Exactly this one upload, its three accounts, and no failure: a figure merely containing a "1" would not do.
        await page.GotoAsync("dashboard");
        await Expect(page.GetByTestId("total-uploads")).ToHaveTextAsync("1");
        await Expect(page.GetByTestId("total-accounts")).ToHaveTextAsync("3");
        await Expect(page.GetByTestId("total-failures")).ToHaveTextAsync("0");
        await ScreenshotAsync(page, "5-dashboard.png");
    });

    [GeneratedRegex(@"^\d+$")]
    private static partial Regex UploadIdPattern();
}
