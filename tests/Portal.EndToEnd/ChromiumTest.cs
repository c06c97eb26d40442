using System.Runtime.CompilerServices;
using Microsoft.Playwright;
using Portal.Tests.TestHost;

// One portal and one Chromium at a time: the journeys time transfers and sends, and a second browser pushing 100 MB
// on the same two cores would make those timings (and the tests) depend on what else runs.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace Portal.EndToEnd;

/// <summary>
/// The whole portal on loopback (<see cref="PortalFactory"/>) and Debian's Chromium driven by Playwright, one of each per
/// test. A journey runs in a fresh browser context, traced; its screenshots go to <c>artifacts/&lt;test&gt;/</c>, and the
/// trace is kept there only when the journey fails.
/// </summary>
public abstract class ChromiumTest : IAsyncLifetime
{
    private static readonly string ArtifactsRoot = Path.Combine(AppContext.BaseDirectory, "artifacts");
    private IPlaywright _playwright = default!;
    private string _artifacts = ArtifactsRoot;

    /// <param name="settings">Configuration on top of the development defaults, for this test's portal.</param>
    protected ChromiumTest(IDictionary<string, string?>? settings = null) =>
        Portal = new PortalFactory(settings ?? new Dictionary<string, string?>());

    protected PortalFactory Portal { get; }

    protected IBrowser Browser { get; private set; } = default!;

    public async Task InitializeAsync()
    {
        // Two cores shared with builds: give a page more than Playwright's 5 s to show what it must; failures still say what was missing.
        Assertions.SetDefaultExpectTimeout(15_000);
        Portal.StartServer();
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Environment.GetEnvironmentVariable("CHROMIUM_PATH") ?? "/usr/bin/chromium",
            Headless = true,
            // No network here but loopback: keep Chromium from reaching for Google's services.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync"],
        });
    }

    public virtual async Task DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright.Dispose();
        await Portal.DisposeAsync();
    }

    /// <summary>
    /// Runs <paramref name="journey"/> in a new browser context at the portal, tracing it; the trace is kept only when it
    /// fails. <paramref name="locale"/> is the browser's language (its Accept-Language), English when not given.
    /// </summary>
    protected async Task JourneyAsync(Func<IBrowserContext, Task> journey, string? locale = null, [CallerMemberName] string test = "")
    {
        _artifacts = Path.Combine(ArtifactsRoot, locale is null ? test : $"{test}-{locale}");
        if (Directory.Exists(_artifacts))
        {
            Directory.Delete(_artifacts, recursive: true);
        }

        Directory.CreateDirectory(_artifacts);
        await using var context = await Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = Portal.Origin.ToString(), Locale = locale });
        await context.Tracing.StartAsync(new TracingStartOptions { Screenshots = true, Snapshots = true });
        // Every page of every journey is held to the portal's Content-Security-Policy: a violation fails the journey.
        var violations = new System.Collections.Concurrent.ConcurrentQueue<string>();
        await context.AddInitScriptAsync("""
            document.addEventListener('securitypolicyviolation', e =>
                console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI} on ${document.location.pathname}`));
            """);
        context.Console += (_, message) =>
        {
            if (message.Text.StartsWith("CSP violation", StringComparison.Ordinal) || message.Text.Contains("Content Security Policy", StringComparison.Ordinal))
            {
                violations.Enqueue(message.Text);
            }
        };
        var passed = false;
        try
        {
            await journey(context);
            Assert.True(violations.IsEmpty, "The browser reported Content-Security-Policy violations:\n" + string.Join("\n", violations));
            passed = true;
        }
        finally
        {
            await context.Tracing.StopAsync(new TracingStopOptions { Path = passed ? null : Artifact("trace.zip") });
        }
    }

    /// <summary>A full-page screenshot in this test's artifacts.</summary>
    /// <summary>A picture for the README, in docs/screenshots/; from the top of the page: scrolled down (focus moved to a result), a full-page picture draws the fixed app bar half-way down.</summary>
    protected static async Task ScreenshotToDocsAsync(IPage page, string name)
    {
        await page.EvaluateAsync("() => window.scrollTo(0, 0)");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Repository.Root(), "docs", "screenshots", name), FullPage = true });
    }

    protected Task ScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Artifact(name), FullPage = true });

    /// <summary>Opens <paramref name="path"/>, signs in at the development identity provider, and lands back on it.</summary>
    protected static async Task SignInAsync(IPage page, string path, string username)
    {
        await page.GotoAsync(path);
        await page.WaitForURLAsync("**/dev-idp/login**");
        await page.GetByLabel("Username").FillAsync(username);
        await page.GetByLabel("Password").FillAsync("demo");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync($"**/{path}");
    }

    /// <summary>Waits until the upload page is interactive and a file can be chosen.</summary>
    protected static Task FilePickerReadyAsync(IPage page) =>
        page.GetByTestId("choose-file").And(page.Locator(":not([disabled])")).WaitForAsync();

    /// <summary>
    /// Picks <paramref name="option"/> in the MudSelect <paramref name="selectTestId"/>. The prerendered page ignores clicks
    /// until its circuit is up, and nothing on it says when that is: click until the list opens, waiting longer each time
    /// so that a click that did register is not undone by the next one (a click toggles the list).
    /// </summary>
    protected static async Task ChooseAsync(IPage page, string selectTestId, string option)
    {
        var item = page.GetByRole(AriaRole.Option, new() { Name = option, Exact = true });
        var wait = TimeSpan.FromSeconds(1);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!await item.IsVisibleAsync())
        {
            Assert.True(DateTime.UtcNow < deadline, $"The list of '{selectTestId}' never opened.");
            await page.GetByTestId(selectTestId).ClickAsync();
            try
            {
                await item.WaitForAsync(new() { Timeout = (float)wait.TotalMilliseconds });
            }
            catch (TimeoutException)
            {
                wait *= 2;
            }
        }

        await item.ClickAsync();
    }

    protected static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);

    /// <summary>Polls <paramref name="condition"/> until it holds; fails with <paramref name="what"/> after <paramref name="timeout"/>.</summary>
    protected static async Task UntilAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Timed out waiting for {what}.");
            }

            await Task.Delay(100);
        }
    }

    private string Artifact(string name) => Path.Combine(_artifacts, name);
}
