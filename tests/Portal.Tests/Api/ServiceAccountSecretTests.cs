using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Portal.DevStack;
using Portal.Tests.TestHost;

namespace Portal.Tests.Api;

/// <summary>
/// The demo service accounts' secrets never reach the log, at any level; their access tokens never reach the portal's log
/// (OpenIddict, the development identity provider, writes each token it issues at Debug, as a provider's own log may).
/// </summary>
public sealed class ServiceAccountSecretTests
{
    [Fact]
    public async Task Secrets_and_tokens_of_service_accounts_are_never_logged()
    {
        using var logs = new CapturingLoggerProvider();
        using var portal = new PortalFactory(new Dictionary<string, string?>(),
            configureWebHost: host => host.ConfigureLogging(logging => logging.AddProvider(logs).AddFilter<CapturingLoggerProvider>(null, LogLevel.Trace)));
        var token = await ServiceAccount.TokenAsync(portal, ServiceAccount.Pipeline);
        using (var api = ServiceAccount.WithToken(portal, token))
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await api.GetAsync("/api/v1/events")).StatusCode);
        }

        using (var wrong = ServiceAccount.WithToken(portal, token + "x"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await wrong.GetAsync("/api/v1/events")).StatusCode);
        }

        var secrets = portal.Services.GetRequiredService<DevStackConnection>().IdentityProvider!.ServiceClients.Select(client => client.ClientSecret).ToList();
        Assert.NotEmpty(logs.Entries);
        Assert.All(logs.AllText, text => Assert.All(secrets, secret => Assert.DoesNotContain(secret, text, StringComparison.Ordinal)));
        Assert.All(logs.Entries.Where(entry => !entry.Category.StartsWith("OpenIddict.", StringComparison.Ordinal)),
            entry => Assert.DoesNotContain(token, entry.AllText, StringComparison.Ordinal));
    }
}
