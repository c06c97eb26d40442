using System.Text;
using Microsoft.Playwright;

namespace Portal.EndToEnd;

/// <summary>
/// Every page in each language, held to axe-core: no serious or critical violation, with a report shown and after
/// sending; nothing wider than a phone's screen. The screenshots of the main screens go to docs/screenshots/ for the README.
/// </summary>
public sealed class AccessibilityTests : ChromiumTest
{
    [Theory]
    [InlineData("en")]
    [InlineData("zh-CN")]
    public Task Every_page_passes_axe_in_each_language_and_fits_a_phone(string culture) => JourneyAsync(async context =>
    {
        var page = await context.NewPageAsync();
        await page.SetViewportSizeAsync(1440, 900);
        await SignInAsync(page, "upload", "olivia");
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", culture);
        await FilePickerReadyAsync(page);
        await CheckAsync(page, culture, "upload");

        await page.Locator("#package-picker input[type=file]").SetInputFilesAsync(new FilePayload
        {
            Name = "spring-campaign.txt",
            MimeType = "text/plain",
            Buffer = Encoding.UTF8.GetBytes($"e2e-{Guid.NewGuid():N}\nuser-000002\n张伟\nuser-000002\nx\n\n"),
        });
        await Expect(page.GetByTestId("clean-only")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("verdict")).ToBeFocusedAsync();
        await CheckAsync(page, culture, "report");

        await page.GetByTestId("send").ClickAsync();
        await Expect(page.GetByTestId("send-status")).ToHaveAttributeAsync("data-status", "sent", new() { Timeout = 30_000 });
        await CheckAsync(page, culture, "sent");
        var detail = await page.GetByTestId("see-history").GetAttributeAsync("href");

        foreach (var (path, name) in new[]
        {
            ("/", "home"), ("/my-uploads", "my-uploads"), ("/audit", "audit"), ("/audit/activity", "activity"), ("/dashboard", "dashboard"),
            ("/sessions", "sessions"), ($"/{detail}", "detail"), ("/no-such-page", "not-found"), ("/access-denied", "access-denied"),
        })
        {
            await page.GotoAsync(path);
            await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToBeVisibleAsync();
            await CheckAsync(page, culture, name);
        }

        await page.SetViewportSizeAsync(390, 844);
        foreach (var path in new[] { "/upload", $"/{detail}", "/audit", "/audit/activity" })
        {
            await page.GotoAsync(path);
            await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToBeVisibleAsync();
            var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth");
            Assert.True(overflow <= 0, $"{path} is {overflow} px wider than a 390 px phone in {culture}.");
        }

        // On a phone the filters fold behind one button, so the first row is on the first screen.
        foreach (var (path, firstRow) in new[] { ("/audit", "audit-file"), ("/audit/activity", "activity-sentence") })
        {
            await page.GotoAsync(path);
            await Expect(page.GetByTestId("filters-toggle")).ToBeVisibleAsync();
            var row = await page.GetByTestId(firstRow).First.BoundingBoxAsync();
            Assert.True(row is not null && row.Y + row.Height <= 844, $"{path}: the first row ends at {row?.Y + row?.Height} px, below a 844 px phone screen in {culture}.");
        }

        await page.GotoAsync("/audit");
        await ScreenshotToDocsAsync(page, $"{culture}-phone-audit.png");

        await page.GotoAsync($"/{detail}");
        await ScreenshotToDocsAsync(page, $"{culture}-phone-detail.png");

        // The app bar's switch turns to the other language, and the browser remembers it.
        var other = culture == "en" ? "zh-CN" : "en";
        await page.GetByTestId("culture-switch").ClickAsync();
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", other);
        await page.GotoAsync("/");
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", other);
    }, culture);

    /// <summary>No serious or critical axe violation on the page as it is; the main screens are also kept as pictures.</summary>
    private static async Task CheckAsync(IPage page, string culture, string screen)
    {
        await AssertAccessibleAsync(page, $"'{screen}' in {culture}");
        if (screen is "upload" or "report" or "sent" or "home" or "audit" or "activity" or "dashboard" or "detail")
        {
            await ScreenshotToDocsAsync(page, $"{culture}-{screen}.png");
        }
    }
}
