using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Portal.DevStack;
using Portal.Tests.TestHost;

namespace Portal.Tests.Api;

/// <summary>The development identity provider's demo service accounts, and API clients holding their real access tokens.</summary>
public static class ServiceAccount
{
    public const string Pipeline = "pipeline-demo";
    public const string PipelineName = "Nightly CRM export (demo)";
    public const string AuditReader = "audit-reader-demo";
    public const string NoRole = "no-role-demo";

    /// <summary>An access token for <paramref name="clientId"/> from the provider's token endpoint (client credentials).</summary>
    public static async Task<string> TokenAsync(PortalFactory portal, string clientId)
    {
        var client = portal.Services.GetRequiredService<DevStackConnection>().IdentityProvider!.ServiceClients.Single(candidate => candidate.ClientId == clientId);
        using var http = portal.CreateBrowserClient(followRedirects: false);
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = client.ClientId,
            ["client_secret"] = client.ClientSecret,
        });
        using var answer = await http.PostAsync("/connect/token", form);
        var body = await answer.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(answer.IsSuccessStatusCode, $"The token endpoint answered {(int)answer.StatusCode}: {body}");
        return body.GetProperty("access_token").GetString()!;
    }

    /// <summary>A client of the portal sending <paramref name="clientId"/>'s bearer token with every request.</summary>
    public static async Task<HttpClient> ClientAsync(PortalFactory portal, string clientId) => WithToken(portal, await TokenAsync(portal, clientId));

    public static HttpClient WithToken(PortalFactory portal, string token)
    {
        var http = portal.CreateBrowserClient(followRedirects: false);
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }
}
