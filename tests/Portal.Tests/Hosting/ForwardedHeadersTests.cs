using Dapper;
using Microsoft.Data.Sqlite;
using Portal.Testing;
using Portal.Tests.TestHost;

namespace Portal.Tests.Hosting;

/// <summary>
/// Behind a proxy the portal believes X-Forwarded-For only from the proxies it is told of: a client talking to it directly
/// cannot put another address into the audit trail. The tests' clients connect from 127.0.0.1.
/// </summary>
public sealed class ForwardedHeadersTests
{
    private const string Forged = "203.0.113.66";

    [Theory]
    [InlineData("10.9.9.9", "127.0.0.1")]
    [InlineData("127.0.0.1", Forged)]
    public async Task The_client_address_recorded_is_forwarded_only_by_a_known_proxy(string knownProxy, string recorded)
    {
        using var portal = new PortalFactory(new Dictionary<string, string?>
        {
            ["FORWARDEDHEADERS_ENABLED"] = "true",
            ["ForwardedHeaders:KnownProxies:0"] = knownProxy,
        });
        using var browser = portal.CreateBrowserClient();
        browser.DefaultRequestHeaders.Add("X-Forwarded-For", Forged);

        await DevSignIn.SignInAsync(browser, "mia", "/upload");

        await using var connection = new SqliteConnection($"Data Source={portal.DatabasePath};Mode=ReadOnly");
        var signedIn = await connection.QuerySingleAsync<string>("SELECT data FROM audit_events WHERE kind = 'signed-in'");
        Assert.Contains($"\"clientIp\":\"{recorded}\"", signedIn, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Forwarded_headers_switched_on_without_a_trusted_proxy_refuse_the_start()
    {
        var run = await PortalProcess.RunToExitAsync(new() { ["ASPNETCORE_FORWARDEDHEADERS_ENABLED"] = "true" });

        Assert.Equal(1, run.ExitCode);
        Assert.Contains(run.ErrorLines, line => line.StartsWith("  - ASPNETCORE_FORWARDEDHEADERS_ENABLED is true, but no proxy is trusted", StringComparison.Ordinal));
    }
}
