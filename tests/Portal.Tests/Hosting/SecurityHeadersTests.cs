using Portal.Tests.TestHost;

namespace Portal.Tests.Hosting;

/// <summary>One Content-Security-Policy on the portal's pages, with every directive the pages need and no more.</summary>
public sealed class SecurityHeadersTests(PortalFixture fixture) : IClassFixture<PortalFixture>
{
    [Theory]
    [InlineData("/")]
    [InlineData("/upload")]
    [InlineData("/my-uploads")]
    [InlineData("/no-such-page")]
    public async Task A_page_carries_exactly_one_full_policy(string path)
    {
        using var browser = await BrowserSession.SignInAsync(fixture.Factory, "olivia", "/");

        using var response = await browser.GetAsync(path);

        var policy = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
        Assert.Equal(
            "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; "
            + $"object-src 'none'; base-uri 'self'; frame-ancestors 'none'; form-action 'self' {fixture.Factory.Origin.GetLeftPart(UriPartial.Authority)}",
            policy);
    }

    [Fact]
    public async Task An_address_that_leads_nowhere_shows_the_portals_not_found_page()
    {
        using var browser = await BrowserSession.SignInAsync(fixture.Factory, "olivia", "/");

        using var response = await browser.GetAsync("/no-such-page");

        Assert.Equal(System.Net.HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("There is nothing at this address.", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Other_answers_are_never_framed_either()
    {
        using var client = fixture.Factory.CreateBrowserClient();

        using var response = await client.GetAsync("/health/live");

        Assert.Equal("frame-ancestors 'none'", Assert.Single(response.Headers.GetValues("Content-Security-Policy")));
        Assert.Equal("DENY", Assert.Single(response.Headers.GetValues("X-Frame-Options")));
    }
}
