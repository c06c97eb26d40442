using System.Net;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Portal.Auth;
using Portal.DevStack.IdentityProvider;
using Portal.Testing;
using Portal.Tests.TestHost;

namespace Portal.Tests.Auth;

/// <summary>
/// Sessions kept on the server, through the real sign-in: sign-out ends a session for every copy of its cookie and across
/// restarts; the role mapping and the provider's groups are applied as they are now; sessions end after their lifetime,
/// or when an auditor ends them.
/// </summary>
public sealed class SessionTests
{
    private static readonly string ChainKey = Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());

    [Fact]
    public async Task Signing_out_ends_the_session_for_every_copy_of_its_cookie_at_the_provider_too_and_after_a_restart()
    {
        var data = Directory.CreateTempSubdirectory("portal-sessions-").FullName;
        try
        {
            var copied = new CookieContainer();
            using (var portal = new PortalFactory(new Dictionary<string, string?> { ["Audit:ChainKey"] = ChainKey }, data))
            {
                var cookies = new CookieContainer();
                using var browser = portal.CreateBrowserClient(cookies: cookies);
                await DevSignIn.SignInAsync(browser, "mia", "/upload");
                copied.Add(cookies.GetAllCookies());
                using (var thief = portal.CreateBrowserClient(followRedirects: false, cookies: copied))
                {
                    Assert.Equal(HttpStatusCode.OK, (await thief.GetAsync("/upload")).StatusCode);
                }

                var token = await DevSignIn.AntiforgeryTokenAsync(browser, "/upload");
                using var manualRedirects = portal.CreateBrowserClient(followRedirects: false, cookies: cookies);
                using var signOut = await manualRedirects.PostAsync("/authentication/logout",
                    new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }));
                var endSession = signOut.Headers.Location!;
                var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(endSession.Query);

                Assert.Equal("/connect/endsession", endSession.AbsolutePath);
                Assert.True(query.ContainsKey("id_token_hint"), endSession.ToString());
                Assert.Equal("portal-dev", query["client_id"].ToString());
                Assert.Equal(new Uri(portal.Origin, "/signout-callback-oidc"), new Uri(query["post_logout_redirect_uri"].ToString()));
                using var landed = await browser.GetAsync(endSession);
                Assert.Equal(new Uri(portal.Origin, AuthExtensions.SignedOutPath), landed.RequestMessage!.RequestUri);
                await AssertSignedOutAsync(portal, copied);
            }

            using var restarted = new PortalFactory(new Dictionary<string, string?> { ["Audit:ChainKey"] = ChainKey }, data);
            await AssertSignedOutAsync(restarted, copied);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(data, recursive: true);
        }
    }

    [Fact]
    public async Task A_session_outlives_a_restart_until_it_is_signed_out()
    {
        var data = Directory.CreateTempSubdirectory("portal-sessions-").FullName;
        try
        {
            var cookies = new CookieContainer();
            using (var portal = new PortalFactory(new Dictionary<string, string?> { ["Audit:ChainKey"] = ChainKey }, data))
            {
                using var browser = portal.CreateBrowserClient(cookies: cookies);
                await DevSignIn.SignInAsync(browser, "mia", "/upload");
            }

            using var restarted = new PortalFactory(new Dictionary<string, string?> { ["Audit:ChainKey"] = ChainKey }, data);
            using var again = restarted.CreateBrowserClient(followRedirects: false, cookies: cookies);

            Assert.Equal(HttpStatusCode.OK, (await again.GetAsync("/upload")).StatusCode);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(data, recursive: true);
        }
    }

    [Fact]
    public async Task A_changed_role_mapping_applies_to_the_very_next_request()
    {
        using var portal = new PortalFactory();
        using var browser = await BrowserSession.SignInAsync(portal, "mia", "/upload");

        var configuration = (IConfigurationRoot)portal.Services.GetRequiredService<IConfiguration>();
        configuration["Oidc:RoleMapping:Uploader:0"] = "nobody-has-this-group";
        configuration.Reload();
        using var after = await browser.GetAsync("/upload");

        Assert.Equal("/access-denied", after.RequestMessage!.RequestUri!.AbsolutePath);
    }

    [Fact]
    public async Task A_group_removed_at_the_provider_is_removed_here_once_the_groups_are_due_for_refreshing()
    {
        using var portal = new PortalFactory(new Dictionary<string, string?> { ["Sessions:ClaimsRefreshInterval"] = "00:00:01" });
        using var browser = await BrowserSession.SignInAsync(portal, "mia", "/upload");
        Assert.Equal("/upload", (await browser.GetAsync("/upload")).RequestMessage!.RequestUri!.AbsolutePath);

        portal.Services.GetRequiredService<DevIdentityProviderSettings>().Users.SetGroups("mia", []);
        await Task.Delay(TimeSpan.FromSeconds(1.2));
        using var after = await browser.GetAsync("/upload");

        // The refresh token still works; the new id_token carries no group, so mia keeps her session but loses the role.
        Assert.Equal("/access-denied", after.RequestMessage!.RequestUri!.AbsolutePath);
        Assert.Single(await portal.Services.GetRequiredService<SessionStore>().ActiveAsync());
    }

    [Fact]
    public async Task A_session_ends_after_its_absolute_lifetime_however_active()
    {
        using var portal = new PortalFactory(new Dictionary<string, string?>
        {
            ["Sessions:IdleTimeout"] = "00:00:02",
            ["Sessions:AbsoluteLifetime"] = "00:00:03",
        });
        var cookies = new CookieContainer();
        using var browser = portal.CreateBrowserClient(cookies: cookies);
        await DevSignIn.SignInAsync(browser, "mia", "/upload");
        using var manual = portal.CreateBrowserClient(followRedirects: false, cookies: cookies);
        // Timed from the session's own start, not from when the sign-in returned: on a loaded machine the sign-in's
        // last redirects can take a good part of a second after the session was stored.
        var startedAt = Assert.Single(await portal.Services.GetRequiredService<SessionStore>().ActiveAsync()).StartedAt;

        var answers = new List<(double Sent, double Answered, HttpStatusCode Status)>();
        while (DateTime.UtcNow - startedAt < TimeSpan.FromSeconds(3.5))
        {
            var sentAt = DateTime.UtcNow;
            using var response = await manual.GetAsync("/upload");
            answers.Add(((sentAt - startedAt).TotalSeconds, (DateTime.UtcNow - startedAt).TotalSeconds, response.StatusCode));
            await Task.Delay(400);
        }

        // Busy all along, so never idle for 2 s: still signed in past the idle timeout, signed out once 3 s had passed.
        Assert.All(answers.Where(answer => answer.Sent > 2.1 && answer.Answered < 2.9), answer => Assert.Equal(HttpStatusCode.OK, answer.Status));
        Assert.Equal(HttpStatusCode.Redirect, answers[^1].Status);
        Assert.Empty(await portal.Services.GetRequiredService<SessionStore>().ActiveAsync());
    }

    [Fact]
    public async Task An_auditor_ends_a_session_and_its_owner_is_signed_out_at_once()
    {
        using var portal = new PortalFactory();
        var cookies = new CookieContainer();
        using (var browser = portal.CreateBrowserClient(cookies: cookies))
        {
            await DevSignIn.SignInAsync(browser, "mia", "/upload");
        }

        var store = portal.Services.GetRequiredService<SessionStore>();
        var session = Assert.Single(await store.ActiveAsync());
        Assert.Equal(("dev-mia", "Mia Marketing"), (session.UserId, session.UserName));

        Assert.True(await store.EndAsync(session.Id, "Aaron Auditor"));

        await AssertSignedOutAsync(portal, cookies);
        Assert.Empty(await store.ActiveAsync());
        Assert.Equal("Aaron Auditor", await EndedByAsync(portal));
    }

    /// <summary>A browser holding these cookies is sent to sign in: the portal no longer knows its session.</summary>
    private static async Task AssertSignedOutAsync(PortalFactory portal, CookieContainer cookies)
    {
        using var client = portal.CreateBrowserClient(followRedirects: false, cookies: cookies);
        using var response = await client.GetAsync("/upload");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/connect/authorize", response.Headers.Location!.AbsolutePath);
    }

    private static async Task<string?> EndedByAsync(PortalFactory portal)
    {
        await using var connection = new SqliteConnection($"Data Source={portal.DatabasePath};Mode=ReadOnly");
        return await connection.QuerySingleAsync<string?>("SELECT ended_by FROM sessions");
    }
}
