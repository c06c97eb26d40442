using System.Text;
using Microsoft.Playwright;

namespace Portal.EndToEnd;

/// <summary>
/// Nothing is cut off or spills out of its box at 1440×900 and 390×844 on the main screens (home, the upload page with
/// a report, a sent upload, an upload's page, the dashboard), and the phone's app bar keeps to one line.
/// </summary>
public sealed class LayoutTests : ChromiumTest
{
    private static readonly (int Width, int Height)[] Viewports = [(1440, 900), (390, 844)];

    /// <summary>
    /// Every visible element whose content is wider than its box, unless the box is meant to scroll sideways, and every
    /// element reaching past the right edge of the window, outside such a box. Inline boxes and SVG parts have no width
    /// of their own to overflow and are left out; so is text kept only for screen readers.
    /// </summary>
    private const string FindClipped = """
        () => {
            const width = document.documentElement.clientWidth;
            const found = [];
            const name = el => `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}${[...el.classList].slice(0, 3).map(c => '.' + c).join('')}`
                + `${el.dataset.testid ? `[data-testid=${el.dataset.testid}]` : ''} "${(el.textContent || '').trim().slice(0, 40)}"`;
            const scrollsSideways = el => ['auto', 'scroll'].includes(getComputedStyle(el).overflowX);
            const insideScroller = el => { for (let p = el.parentElement; p; p = p.parentElement) { if (scrollsSideways(p)) return true; } return false; };
            if (document.documentElement.scrollWidth > width) {
                found.push(`the page is ${document.documentElement.scrollWidth - width} px wider than the window`);
            }
            for (const el of document.body.querySelectorAll('*')) {
                if (el instanceof SVGElement || el.closest('.visually-hidden')) continue;
                const style = getComputedStyle(el);
                if (style.display === 'none' || style.visibility === 'hidden' || style.display === 'inline') continue;
                const box = el.getBoundingClientRect();
                if (box.width === 0 || box.height === 0) continue;
                if (!scrollsSideways(el) && el.clientWidth > 0 && el.scrollWidth > el.clientWidth + 1) {
                    found.push(`${name(el)}: content ${el.scrollWidth} px in a box of ${el.clientWidth} px`);
                }
                if (box.right > width + 1 && !insideScroller(el) && style.position !== 'fixed') {
                    found.push(`${name(el)}: reaches ${Math.round(box.right - width)} px past the window`);
                }
            }
            return found.slice(0, 20);
        }
        """;

    /// <summary>Each piece of text in the app bar on one line and inside the bar.</summary>
    private const string AppBarWraps = """
        () => {
            const bar = document.querySelector('.mud-appbar .mud-toolbar');
            const box = bar.getBoundingClientRect();
            const found = [];
            const walker = document.createTreeWalker(bar, NodeFilter.SHOW_TEXT);
            for (let node = walker.nextNode(); node; node = walker.nextNode()) {
                const text = node.textContent.trim();
                if (!text) continue;
                const range = document.createRange();
                range.selectNodeContents(node);
                const lines = [...range.getClientRects()].filter(r => r.width > 0);
                if (new Set(lines.map(r => Math.round(r.top))).size > 1) found.push(`"${text}" wraps onto ${lines.length} lines`);
                if (lines.some(r => r.top < box.top - 1 || r.bottom > box.bottom + 1)) found.push(`"${text}" spills out of the bar`);
            }
            return found;
        }
        """;

    [Theory]
    [InlineData("en")]
    [InlineData("zh-CN")]
    public Task Nothing_is_cut_off_on_a_laptop_or_a_phone(string culture) => JourneyAsync(async context =>
    {
        var page = await context.NewPageAsync();
        await page.SetViewportSizeAsync(1440, 900);
        await SignInAsync(page, "upload", "olivia");
        await FilePickerReadyAsync(page);
        await page.Locator("#package-picker input[type=file]").SetInputFilesAsync(new FilePayload
        {
            Name = "a-rather-long-file-name-for-the-spring-campaign-2026-final.txt",
            MimeType = "text/plain",
            Buffer = Encoding.UTF8.GetBytes($"e2e-{Guid.NewGuid():N}\nuser-000002\n张伟\nuser-000002\nx\n\n{new string('a', 80)}\n"),
        });
        await Expect(page.GetByTestId("verdict")).ToBeVisibleAsync();
        await CheckAsync(page, culture, "upload with a report");

        await page.GetByTestId("send").ClickAsync();
        await Expect(page.GetByTestId("send-status")).ToHaveAttributeAsync("data-status", "sent", new() { Timeout = 30_000 });
        await CheckAsync(page, culture, "sent upload");
        var detail = await page.GetByTestId("see-history").GetAttributeAsync("href");

        foreach (var (path, screen) in new[] { ("/", "home"), ($"/{detail}", "upload detail"), ("/dashboard", "dashboard") })
        {
            await page.GotoAsync(path);
            await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToBeVisibleAsync();
            await CheckAsync(page, culture, screen);
        }
    }, culture);

    /// <summary>The page as it is, at each size in turn (the page re-lays itself out; nothing is reloaded), back at the first.</summary>
    private async Task CheckAsync(IPage page, string culture, string screen)
    {
        foreach (var (width, height) in Viewports)
        {
            await page.SetViewportSizeAsync(width, height);
            // Let MudBlazor's breakpoint listener and the charts redraw for the new size.
            await page.WaitForTimeoutAsync(500);
            await ScreenshotAsync(page, $"{screen.Replace(' ', '-')}-{width}.png");
            var clipped = await page.EvaluateAsync<string[]>(FindClipped);
            Assert.True(clipped.Length == 0, $"On '{screen}' at {width}×{height} in {culture}:\n" + string.Join("\n", clipped));
            var wraps = await page.EvaluateAsync<string[]>(AppBarWraps);
            Assert.True(wraps.Length == 0, $"The app bar on '{screen}' at {width}×{height} in {culture}:\n" + string.Join("\n", wraps));
        }

        await page.SetViewportSizeAsync(Viewports[0].Width, Viewports[0].Height);
    }
}
