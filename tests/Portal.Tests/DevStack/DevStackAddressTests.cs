using System.Net;
using Portal.Testing;
using Portal.Tests.TestHost;

namespace Portal.Tests.DevStack;

/// <summary>The development stack follows the address the portal really listens on, as anyone whose port 5080 is taken would find.</summary>
public sealed class DevStackAddressTests
{
    [Fact]
    public async Task Started_on_another_port_the_portal_signs_in_through_itself_there()
    {
        await using var portal = await PortalProcess.StartAsync("Development", []);
        using var browser = new HttpClient(new SocketsHttpHandler { UseCookies = true, CookieContainer = new CookieContainer() }) { BaseAddress = portal.Origin };

        var landed = await DevSignIn.SignInAsync(browser, "mia", "/upload");
        var page = await browser.GetAsync("/upload");

        Assert.Equal(new Uri(portal.Origin, "/upload"), landed);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.DoesNotContain("5080", portal.Output, StringComparison.Ordinal);
    }
}
