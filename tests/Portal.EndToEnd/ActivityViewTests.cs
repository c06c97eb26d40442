using Microsoft.Playwright;

namespace Portal.EndToEnd;

/// <summary>
/// An auditor opens the activity view from a link that carries its filters, sees only the matching events, changes a
/// filter, and the browser's back button brings the previous view back.
/// </summary>
public sealed class ActivityViewTests : ChromiumTest
{
    [Fact]
    public Task An_auditor_filters_the_activity_view_by_url_and_goes_back_to_the_previous_view() => JourneyAsync(async context =>
    {
        await using var marketersBrowser = await Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = Portal.Origin.ToString() });
        var marketer = await marketersBrowser.NewPageAsync();
        await SignInAsync(marketer, "my-uploads", "mia");

        var page = await context.NewPageAsync();
        await SignInAsync(page, "audit/activity?user=mia&kind=signed-in", "aaron");
        var sentences = page.GetByTestId("activity-sentence");
        await Expect(sentences).ToHaveTextAsync(["Mia Marketing signed in"]);

        // Picking from a list also waits for the page to become interactive (ChooseAsync).
        await ChooseAsync(page, "activity-filter-kind", "Sign-ins");
        await page.GetByTestId("activity-filter-user").FillAsync("AARON");
        await page.GetByTestId("activity-apply").ClickAsync();

        await Expect(sentences).ToHaveTextAsync(["Aaron Auditor signed in"]);
        Assert.EndsWith("/audit/activity?user=AARON&kind=signed-in", page.Url, StringComparison.Ordinal);

        await page.GoBackAsync();

        await Expect(sentences).ToHaveTextAsync(["Mia Marketing signed in"]);
        await Expect(page.GetByTestId("activity-filter-user")).ToHaveValueAsync("mia");
        Assert.EndsWith("/audit/activity?user=mia&kind=signed-in", page.Url, StringComparison.Ordinal);
    });
}
