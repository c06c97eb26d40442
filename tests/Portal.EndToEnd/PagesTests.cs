using System.Text;
using Microsoft.Playwright;

namespace Portal.EndToEnd;

/// <summary>Every page of the portal, opened in Chromium, renders under its Content-Security-Policy without a single violation.</summary>
public sealed class PagesTests : ChromiumTest
{
    [Fact]
    public Task Every_page_renders_without_a_content_security_policy_violation() => JourneyAsync(async context =>
    {
        var page = await context.NewPageAsync();
        await SignInAsync(page, "upload", "olivia");
        await FilePickerReadyAsync(page);
        await page.Locator("#package-picker input[type=file]").SetInputFilesAsync(new FilePayload
        {
            Name = "pages.txt",
            MimeType = "text/plain",
            Buffer = Encoding.UTF8.GetBytes("alice\nbob\nalice\nx\n"),
        });
        await Assertions.Expect(page.GetByTestId("clean-only")).ToBeVisibleAsync();
        await page.GetByTestId("problem-report").WaitForAsync();

        foreach (var (path, shows) in new[]
        {
            ("/", "Welcome"),
            ("/my-uploads", "My uploads"),
            ("/audit", "Audit log"),
            ("/dashboard", "Last 30 days"),
            ("/sessions", "Active sessions"),
            ("/no-such-page", "Page not found"),
            ("/access-denied", "Access denied"),
            ("/sign-in-failed?error=access_denied", "Sign-in did not complete"),
        })
        {
            await page.GotoAsync(path);
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync(shows);
        }

        await page.GotoAsync("my-uploads");
        await page.GetByTestId("audit-file").First.ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("pages.txt");
        Assert.StartsWith("/uploads/", new Uri(page.Url).AbsolutePath);
        await Assertions.Expect(page.GetByTestId("upload-facts")).ToBeVisibleAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "You have signed out" })).ToBeVisibleAsync();
    });
}
