using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Portal.Tests.TestHost;

namespace Portal.Tests.Health;

/// <summary>Readiness names what is wrong when a part the portal needs does not answer.</summary>
public sealed class ReadinessTests
{
    [Fact]
    public async Task An_unreachable_identity_provider_makes_the_portal_unready_and_says_where_it_looked()
    {
        var closedPort = ClosedLoopbackPort();
        using var portal = new PortalFactory(new Dictionary<string, string?>
        {
            ["DevStack:IdentityProvider:Enabled"] = "false",
            ["Oidc:Authority"] = $"http://127.0.0.1:{closedPort}/realms/portal",
            ["Oidc:ClientId"] = "portal",
            ["Oidc:ClientSecret"] = "not-used-here",
            ["Oidc:RequireHttpsMetadata"] = "false",
        });
        using var client = portal.CreateBrowserClient(followRedirects: false);

        using var live = await client.GetAsync("/health/live");
        using var ready = await client.GetAsync("/health/ready");

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        var report = JsonDocument.Parse(await ready.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("Unhealthy", report.GetProperty("status").GetString());
        Assert.Equal("Healthy", report.GetProperty("checks").GetProperty("database").GetProperty("status").GetString());
        var identityProvider = report.GetProperty("checks").GetProperty("identity-provider");
        Assert.Equal("Unhealthy", identityProvider.GetProperty("status").GetString());
        Assert.StartsWith(
            $"The identity provider cannot be reached at http://127.0.0.1:{closedPort}/realms/portal/.well-known/openid-configuration: ",
            identityProvider.GetProperty("description").GetString());
    }

    /// <summary>A port nothing listens on: taken from the OS, then released.</summary>
    private static int ClosedLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
