using Microsoft.Playwright;

namespace Portal.EndToEnd;

/// <summary>
/// An auditor ends a marketer's session on the Active sessions page; the marketer's open page, which makes no requests a
/// cookie could be checked on, is signed out within the revalidation interval and sent to sign in again (where the
/// provider, which still knows her, signs her straight back in: a new session).
/// </summary>
public sealed class SessionsTests() : ChromiumTest(new Dictionary<string, string?> { ["Sessions:RevalidationInterval"] = "00:00:01" })
{
    [Fact]
    public Task An_auditor_ends_a_session_and_the_open_page_of_its_owner_is_signed_out() => JourneyAsync(async context =>
    {
        await using var marketersBrowser = await Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = Portal.Origin.ToString() });
        var marketer = await marketersBrowser.NewPageAsync();
        await SignInAsync(marketer, "my-uploads", "mia");
        await Expect(marketer.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("My uploads");

        var auditor = await context.NewPageAsync();
        await SignInAsync(auditor, "sessions", "aaron");
        var rows = auditor.GetByTestId("session-row");
        await Expect(rows).ToHaveCountAsync(2);
        await Expect(rows.Filter(new() { HasText = "dev-aaron" })).ToContainTextAsync("this session");
        await Expect(rows.Filter(new() { HasText = "dev-aaron" }).GetByTestId("end-session")).ToHaveCountAsync(0);

        var signInAgain = marketer.WaitForRequestAsync("**/authentication/login?returnUrl=%2Fmy-uploads");
        await rows.Filter(new() { HasText = "dev-mia" }).GetByTestId("end-session").ClickAsync();

        await Expect(auditor.GetByTestId("session-message")).ToHaveTextAsync("Mia Marketing's session has ended.");
        await Expect(rows).ToHaveCountAsync(1);
        await signInAgain;
    });
}
