using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Portal.Packages;
using Portal.Testing;
using Portal.Tests.DevStack;
using Portal.Tests.TestHost;
using Portal.Tests.Uploads;

namespace Portal.Tests.Hosting;

/// <summary>
/// The portal as it is deployed: <c>dotnet Portal.dll</c> in Production over https, configured only through environment
/// variables, signing in through an identity provider of its own host (the development one, standing in for a
/// third-party provider: nothing of the portal's DevStack is enabled) and uploading to a Tencent endpoint elsewhere.
/// </summary>
public sealed class ProductionDeploymentTests(ProductionDeploymentTests.Deployment deployment) : IClassFixture<ProductionDeploymentTests.Deployment>
{
    [Fact]
    public async Task Over_https_in_production_every_cookie_the_portal_sets_is_secure()
    {
        var cookies = new CookieContainer();
        using var client = deployment.Client(cookies);

        await DevSignIn.SignInAsync(client, "mia", "/upload");
        await DevSignIn.AntiforgeryTokenAsync(client, "/upload");

        var portalCookies = cookies.GetCookies(deployment.Portal.Origin);
        Assert.Contains(portalCookies, cookie => cookie.Name.StartsWith(".AspNetCore.Antiforgery.", StringComparison.Ordinal));
        Assert.Contains(portalCookies, cookie => cookie.Name == ".Portal.Session");
        Assert.All(portalCookies, cookie => Assert.True(cookie.Secure, $"The cookie {cookie.Name} is sent over plain http too."));
        Assert.All(portalCookies, cookie => Assert.True(cookie.HttpOnly, $"The cookie {cookie.Name} is readable by scripts."));
    }

    [Fact]
    public async Task A_chunked_body_over_100_MB_is_answered_413_with_the_limit_in_production_too()
    {
        using var client = deployment.Client(new CookieContainer());
        await DevSignIn.SignInAsync(client, "mia", "/upload");
        var token = await DevSignIn.AntiforgeryTokenAsync(client, "/upload");

        using var response = await client.SendAsync(PackageUpload.Request(
            token, "huge.txt", new StreamContent(new UndeclaredLengthStream(PackageRules.MaxPackageBytes + 1)), Deployment.App));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Contains("is larger than 104,857,600 bytes", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Signing_out_at_the_providers_end_lands_on_the_portals_signed_out_page()
    {
        using var client = deployment.Client(new CookieContainer());
        await DevSignIn.SignInAsync(client, "mia", "/upload");
        var token = await DevSignIn.AntiforgeryTokenAsync(client, "/upload");

        using var signOut = await client.PostAsync("/authentication/logout", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
        }));

        Assert.Equal(HttpStatusCode.OK, signOut.StatusCode);
        Assert.Equal(new Uri(deployment.Portal.Origin, "/signed-out"), signOut.RequestMessage!.RequestUri);
    }

    /// <summary>A TLS certificate for loopback, the identity provider and Tencent stand-in on one host, the portal process on another port.</summary>
    public sealed class Deployment : IAsyncLifetime
    {
        public const string App = "Campaigns";

        private readonly LoopbackCertificate _tls = new();
        private DevStackTestHost _provider = null!;

        public PortalProcess Portal { get; private set; } = null!;

        public HttpClient Client(CookieContainer cookies) => new(_tls.TrustingHandler(cookies)) { BaseAddress = Portal.Origin };

        public async Task InitializeAsync()
        {
            var portalPort = PortalProcess.FreeLoopbackPort();
            // Another host name than the portal's, so that the provider's cookies are not mistaken for the portal's.
            var providerOrigin = $"https://localhost:{PortalProcess.FreeLoopbackPort()}";
            var provider = DevStackTestHost.Settings();
            provider["DevStack:Origin"] = providerOrigin;
            provider["DevStack:IdentityProvider:ClientOrigin"] = $"https://127.0.0.1:{portalPort}";
            _provider = await DevStackTestHost.StartAsync(provider, providerOrigin, _tls.Certificate);

            Portal = await PortalProcess.StartAsync("Production", new()
            {
                ["Oidc__Authority"] = providerOrigin + "/",
                ["Oidc__ClientId"] = DevStackTestHost.ClientId,
                ["Oidc__ClientSecret"] = _provider.Connection.IdentityProvider!.ClientSecret,
                ["Oidc__Scopes__0"] = "openid",
                ["Oidc__Scopes__1"] = "profile",
                ["Oidc__Scopes__2"] = "groups",
                ["Oidc__RoleMapping__Uploader__0"] = "marketing",
                ["Oidc__RoleMapping__Auditor__0"] = "audit-team",
                ["Audit__ChainKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
                ["Tencent__Apps__0__Name"] = App,
                ["Tencent__Apps__0__Region"] = "Custom",
                ["Tencent__Apps__0__BaseUrl"] = providerOrigin + "/tencent-simulator/",
                ["Tencent__Apps__0__AccessId"] = DevStackTestHost.AccessId,
                ["Tencent__Apps__0__SecretKey"] = DevStackTestHost.SecretKey,
            }, _tls, portalPort);
        }

        public async Task DisposeAsync()
        {
            await Portal.DisposeAsync();
            await _provider.DisposeAsync();
            _tls.Dispose();
        }
    }
}
