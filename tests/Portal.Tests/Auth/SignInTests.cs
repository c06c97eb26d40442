using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Portal.Auth;
using Portal.Testing;
using Portal.Tests.TestHost;

namespace Portal.Tests.Auth;

/// <summary>The turns of a real sign-in: where it may return to, what a refused or cancelled one shows, and a sign-in that carries no role claim.</summary>
public sealed class SignInTests(PortalFixture fixture) : IClassFixture<PortalFixture>
{
    private readonly PortalFactory _portal = fixture.Factory;

    public static TheoryData<string, string> ReturnUrls => new()
    {
        { "/upload", "/upload" },
        { "/my-uploads?status=sent", "/my-uploads" },
        { "/\t/evil.example/", "/" },
        { "//evil.example/", "/" },
        { "/\\evil.example/", "/" },
        { "https://evil.example/", "/" },
        { "/upload\r\nSet-Cookie: stolen=1", "/" },
        { "/upload\nx", "/" },
        { "evil.example", "/" },
    };

    [Theory]
    [MemberData(nameof(ReturnUrls))]
    public async Task After_a_genuine_sign_in_only_a_local_path_is_returned_to(string returnUrl, string landsOn)
    {
        using var browser = _portal.CreateBrowserClient();

        var landed = await DevSignIn.SignInAsync(browser, "mia", $"/authentication/login?returnUrl={Uri.EscapeDataString(returnUrl)}");

        Assert.Equal((_portal.Origin.Authority, landsOn), (landed.Authority, landed.AbsolutePath));
    }

    [Theory]
    [InlineData("/\t/evil.example/", "/")]
    [InlineData("/upload", "/upload")]
    [InlineData("/upload\r\n", "/")]
    public void Return_urls_are_local_plain_paths(string returnUrl, string kept) => Assert.Equal(kept, ReturnUrl.LocalOrRoot(returnUrl));

    [Theory]
    [InlineData("access_denied", null, "You cancelled the sign-in at your company's identity provider, or it did not let you in.")]
    [InlineData("server_error", "the directory is down", "Your company's identity provider did not complete the sign-in (server_error: the directory is down).")]
    public async Task A_sign_in_the_provider_sends_back_with_an_error_shows_what_happened_and_offers_to_sign_in_again(string error, string? description, string shown)
    {
        using var browser = _portal.CreateBrowserClient(followRedirects: false);
        using var challenge = await browser.GetAsync("/authentication/login?returnUrl=%2Fupload");
        var authorize = challenge.Headers.Location!;
        var state = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(authorize.Query)["state"].ToString();
        var callback = new Dictionary<string, string> { ["error"] = error, ["state"] = state };
        if (description is not null)
        {
            callback["error_description"] = description;
        }

        using var back = await browser.PostAsync("/signin-oidc", new FormUrlEncodedContent(callback));
        var failedPage = back.Headers.Location!;
        using var page = await browser.GetAsync(failedPage);
        var html = WebUtility.HtmlDecode(await page.Content.ReadAsStringAsync());

        Assert.Equal((HttpStatusCode.Redirect, AuthExtensions.SignInFailedPath), (back.StatusCode, failedPage.OriginalString.Split('?')[0]));
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains(shown, html, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"sign-in-again\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_user_in_no_group_is_told_plainly_that_the_sign_in_carried_no_group_claim()
    {
        using var browser = await BrowserSession.SignInAsync(_portal, "nora", "/");

        var html = await browser.GetStringAsync("/");

        Assert.Contains("data-testid=\"no-role-claim\"", html, StringComparison.Ordinal);
        Assert.Contains("your sign-in carried no <code>groups</code> claim", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_sign_in_without_the_role_claim_is_explained_and_logged_once_however_many_sign_in()
    {
        // Two starts in one process (as in these tests, or a host that restarts the app): each warns once.
        foreach (var start in new[] { "first", "second" })
        {
            using var logs = new CapturingLoggerProvider();
            using var portal = new PortalFactory(new Dictionary<string, string?> { ["Oidc:RoleClaimType"] = "roles" },
                configureWebHost: host => host.ConfigureLogging(logging => logging.AddProvider(logs)));

            using var mia = await BrowserSession.SignInAsync(portal, "mia", "/");
            using var olivia = await BrowserSession.SignInAsync(portal, "olivia", "/");
            var html = await mia.GetStringAsync("/");

            Assert.Contains("your sign-in carried no <code>roles</code> claim", html, StringComparison.Ordinal);
            var warnings = logs.Entries.Where(entry => entry.Level == LogLevel.Warning && entry.Message.StartsWith("A sign-in carried no 'roles' claim", StringComparison.Ordinal));
            Assert.True(warnings.Count() == 1, $"The {start} start logged {warnings.Count()} warnings of the missing claim.");
            Assert.Contains("Oidc:Scopes (openid profile email groups offline_access)", warnings.Single().Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Configured_scopes_replace_the_default_list_whole()
    {
        var configured = Oidc(new Dictionary<string, string?> { ["Oidc:Scopes:0"] = "openid", ["Oidc:Scopes:1"] = "groups" });
        var unset = Oidc([]);

        Assert.Equal(["openid", "groups"], configured.Scopes);
        Assert.Equal(OidcOptions.DefaultScopes, unset.Scopes);
    }

    private static OidcOptions Oidc(Dictionary<string, string?> settings)
    {
        var builder = WebApplication.CreateBuilder();
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>(settings)
        {
            ["Oidc:Authority"] = "https://login.example.com/",
            ["Oidc:ClientId"] = "portal",
            ["Oidc:ClientSecret"] = "secret",
            ["Oidc:RoleMapping:Uploader:0"] = "marketing",
        });
        builder.AddPortalAuthentication();
        using var services = builder.Services.BuildServiceProvider();
        return services.GetRequiredService<IOptions<OidcOptions>>().Value;
    }
}
