using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Portal.DevStack;
using Portal.Tests.TestHost;

namespace Portal.EndToEnd;

/// <summary>
/// A person's whole journey in Debian's Chromium: sign in through the development identity provider, upload a small
/// package, read Tencent's uploadId on screen, then sign in as the auditor and find the row.
/// </summary>
public sealed class UploadJourneyTests : IAsyncLifetime
{
    private static readonly string ArtifactsDirectory = Path.Combine(AppContext.BaseDirectory, "artifacts");
    private readonly PortalFactory _portal = new();
    private IPlaywright _playwright = default!;
    private IBrowser _browser = default!;

    public async Task InitializeAsync()
    {
        _portal.StartServer();
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Environment.GetEnvironmentVariable("CHROMIUM_PATH") ?? "/usr/bin/chromium",
            Headless = true,
            // No network here but loopback: keep Chromium from reaching for Google's services.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync"],
        });
    }

    public async Task DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
        await _portal.DisposeAsync();
    }

    [Fact]
    public async Task Marketer_uploads_a_package_gets_the_uploadId_and_the_auditor_sees_it()
    {
        await using var context = await _browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = _portal.Origin.ToString() });
        await context.Tracing.StartAsync(new TracingStartOptions { Screenshots = true, Snapshots = true });
        var page = await context.NewPageAsync();
        var passed = false;
        try
        {
            await SignInAsync(page, "upload", "mia");
            await Expect(page.GetByTestId("signed-in-user")).ToHaveTextAsync("Mia Marketing");
            await page.GetByTestId("choose-file").And(page.Locator(":not([disabled])")).WaitForAsync();

            var package = Encoding.UTF8.GetBytes($"e2e-{Guid.NewGuid():N}\nuser-000002\n张伟\n");
            await page.Locator("#package-picker input[type=file]").SetInputFilesAsync(new FilePayload
            {
                Name = "campaign-accounts.txt",
                MimeType = "text/plain",
                Buffer = package,
            });
            await Expect(page.GetByTestId("accepted")).ToContainTextAsync("3 accounts");
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Artifact("1-accepted.png"), FullPage = true });

            await page.GetByTestId("send").ClickAsync();
            var uploadIdText = (await page.GetByTestId("upload-id").InnerTextAsync()).Trim();
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Artifact("2-sent.png"), FullPage = true });

            var received = _portal.Services.GetRequiredService<TencentSimulatorRecorder>().Received.Single();
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
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Artifact("3-audit.png"), FullPage = true });
            var download = await page.RunAndWaitForDownloadAsync(() => page.GetByTestId("export-csv").ClickAsync());
            var csv = await File.ReadAllLinesAsync((await download.PathAsync())!);
            Assert.Equal(2, csv.Length);
            Assert.Contains(",campaign-accounts.txt,", csv[1], StringComparison.Ordinal);
            Assert.Contains($",{uploadIdText},", csv[1], StringComparison.Ordinal);

            // The upload's own page tells its whole story, and the dashboard counts it.
            await page.GetByTestId("audit-file").First.ClickAsync();
            await Expect(page.GetByTestId("detail-upload-id")).ToHaveTextAsync(uploadIdText);
            await Expect(page.GetByTestId("upload-events")).ToContainTextAsync("sent");
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Artifact("4-detail.png"), FullPage = true });
            await page.GotoAsync("dashboard");
            await Expect(page.GetByTestId("chart-uploads")).ToContainTextAsync("1");
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Artifact("5-dashboard.png"), FullPage = true });
            passed = true;
        }
        finally
        {
            await context.Tracing.StopAsync(new TracingStopOptions { Path = passed ? null : Artifact("trace.zip") });
        }
    }

    private static async Task SignInAsync(IPage page, string path, string username)
    {
        await page.GotoAsync(path);
        await page.WaitForURLAsync("**/dev-idp/login**");
        await page.GetByLabel("Username").FillAsync(username);
        await page.GetByLabel("Password").FillAsync("demo");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync($"**/{path}");
    }

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);

    private static string Artifact(string name)
    {
        Directory.CreateDirectory(ArtifactsDirectory);
        return Path.Combine(ArtifactsDirectory, name);
    }
}
