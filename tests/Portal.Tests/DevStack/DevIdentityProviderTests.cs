using System.Buffers.Text;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Portal.DevStack;

namespace Portal.Tests.DevStack;

public sealed partial class DevIdentityProviderTests : IClassFixture<DevIdentityProviderFixture>, IDisposable
{
    private const string Scope = "openid profile email groups";
    private readonly CookieContainer cookies = new();
    private readonly DevStackTestHost host;
    private readonly HttpClient browser;

    public DevIdentityProviderTests(DevIdentityProviderFixture fixture)
    {
        host = fixture.Host;
        browser = host.CreateClient(cookies);
    }

    public void Dispose() => browser.Dispose();

    [Fact]
    public async Task DiscoveryAdvertisesTheCodeFlowWithS256()
    {
        using var discovery = JsonDocument.Parse(await browser.GetStringAsync(".well-known/openid-configuration"));
        var root = discovery.RootElement;

        Assert.Equal(host.BaseAddress.ToString(), root.GetProperty("issuer").GetString());
        Assert.Equal(new Uri(host.BaseAddress, "connect/authorize").ToString(), root.GetProperty("authorization_endpoint").GetString());
        Assert.Equal(new Uri(host.BaseAddress, "connect/token").ToString(), root.GetProperty("token_endpoint").GetString());
        Assert.Equal(new Uri(host.BaseAddress, "connect/endsession").ToString(), root.GetProperty("end_session_endpoint").GetString());
        Assert.Equal(["code"], Strings(root, "response_types_supported"));
        Assert.Contains("authorization_code", Strings(root, "grant_types_supported"));
        Assert.DoesNotContain("implicit", Strings(root, "grant_types_supported"));
        Assert.Contains("S256", Strings(root, "code_challenge_methods_supported"));
        Assert.Superset(new HashSet<string> { "openid", "profile", "email", "groups" }, Strings(root, "scopes_supported").ToHashSet());

        using var jwks = JsonDocument.Parse(await browser.GetStringAsync(root.GetProperty("jwks_uri").GetString()));
        Assert.NotEmpty(jwks.RootElement.GetProperty("keys").EnumerateArray());
    }

    [Theory]
    [InlineData("mia", "dev-mia", "Mia Marketing", "mia@example.com", new[] { "marketing" })]
    [InlineData("olivia", "dev-olivia", "Olivia Owner", "olivia@example.com", new[] { "marketing", "audit-team" })]
    [InlineData("Aaron", "dev-aaron", "Aaron Auditor", "aaron@example.com", new[] { "audit-team" })]
    [InlineData("uploader2", "dev-uploader2", "Uploader 2", "uploader2@example.com", new[] { "marketing" })]
    public async Task CodeFlowWithPkceIssuesAnIdTokenWithTheDemoUsersClaims(
        string userName, string subject, string name, string email, string[] groups)
    {
        var (verifier, authorize) = AuthorizeUri(state: "st-1", nonce: "n-1");

        // Not signed in: the authorization endpoint sends the browser to the sign-in page, then back.
        var toLogin = HttpAssert.Location(await browser.GetAsync(authorize), host.BaseAddress);
        Assert.Equal("/dev-idp/login", toLogin.AbsolutePath);
        var afterLogin = await SignInAsync(toLogin, userName, "demo");
        Assert.Equal(authorize.PathAndQuery, afterLogin.PathAndQuery);

        var callback = HttpAssert.Location(await browser.GetAsync(afterLogin), host.BaseAddress);
        Assert.StartsWith(DevStackTestHost.RedirectUri + "?", callback.ToString(), StringComparison.Ordinal);
        var query = HttpAssert.Query(callback);
        Assert.Equal("st-1", query["state"]);

        using var token = await RedeemAsync(query["code"], verifier);
        var idToken = Payload(token.RootElement.GetProperty("id_token").GetString()!);

        Assert.Equal(host.BaseAddress.ToString(), idToken.GetProperty("iss").GetString());
        Assert.Equal(DevStackTestHost.ClientId, idToken.GetProperty("aud").GetString());
        Assert.Equal("n-1", idToken.GetProperty("nonce").GetString());
        Assert.Equal(subject, idToken.GetProperty("sub").GetString());
        Assert.Equal(name, idToken.GetProperty("name").GetString());
        Assert.Equal(email, idToken.GetProperty("email").GetString());
        Assert.Equal(userName.ToLowerInvariant(), idToken.GetProperty("preferred_username").GetString());
        var groupClaim = idToken.GetProperty("groups");
        Assert.Equal(
            groups,
            groupClaim.ValueKind == JsonValueKind.Array ? groupClaim.EnumerateArray().Select(g => g.GetString()!) : [groupClaim.GetString()!]);
    }

    [Fact]
    public async Task SignedInUserGoesStraightBackWithACodeThatCanBeRedeemedOnce()
    {
        var (_, first) = AuthorizeUri();
        await SignInAsync(HttpAssert.Location(await browser.GetAsync(first), host.BaseAddress), "mia", "demo");

        var (verifier, second) = AuthorizeUri();
        var callback = HttpAssert.Location(await browser.GetAsync(second), host.BaseAddress);
        var code = HttpAssert.Query(callback)["code"];

        using (var token = await RedeemAsync(code, verifier))
        {
            Assert.Equal("Bearer", token.RootElement.GetProperty("token_type").GetString());
        }

        using var replay = await PostTokenAsync(code, verifier);
        Assert.Equal(HttpStatusCode.BadRequest, replay.StatusCode);
    }

    [Fact]
    public async Task TokenRequestWithAWrongVerifierOrSecretIsRejected()
    {
        var (verifier, authorize) = AuthorizeUri();
        await SignInAsync(HttpAssert.Location(await browser.GetAsync(authorize), host.BaseAddress), "mia", "demo");
        var code = HttpAssert.Query(HttpAssert.Location(await browser.GetAsync(authorize), host.BaseAddress))["code"];

        using var wrongVerifier = await PostTokenAsync(code, verifier + "x");
        using var wrongSecret = await PostTokenAsync(code, verifier, clientSecret: "not-the-secret");

        Assert.Equal(HttpStatusCode.BadRequest, wrongVerifier.StatusCode);
        Assert.Contains("invalid_grant", await wrongVerifier.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.True(wrongSecret.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.Unauthorized);
        Assert.Contains("invalid_client", await wrongSecret.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AuthorizationRequestWithoutPkceIsRejected()
    {
        var uri = new Uri(host.BaseAddress,
            $"connect/authorize?client_id={DevStackTestHost.ClientId}&redirect_uri={Uri.EscapeDataString(DevStackTestHost.RedirectUri)}"
            + $"&response_type=code&scope={Uri.EscapeDataString(Scope)}&state=s");

        using var response = await browser.GetAsync(uri);

        // OpenIddict refuses it on the spot (the redirect_uri is not trusted yet at that stage).
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("invalid_request", body, StringComparison.Ordinal);
        Assert.Contains("code_challenge", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnregisteredRedirectUriIsRefusedWithoutRedirecting()
    {
        var uri = new Uri(host.BaseAddress,
            $"connect/authorize?client_id={DevStackTestHost.ClientId}&redirect_uri={Uri.EscapeDataString("http://evil.example/cb")}"
            + "&response_type=code&scope=openid&code_challenge=" + new string('a', 43) + "&code_challenge_method=S256");

        using var response = await browser.GetAsync(uri);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task LoginPageListsTheDemoUsersAndRejectsAWrongPassword()
    {
        var page = await HttpAssert.ReadSuccessfulHtmlAsync(await browser.GetAsync("dev-idp/login?returnUrl=%2Fportal-page"));
        foreach (var user in new[] { "mia", "aaron", "olivia", "Mia Marketing", "Aaron Auditor", "Olivia Owner", "<code>demo</code>" })
        {
            Assert.Contains(user, page, StringComparison.Ordinal);
        }

        using var wrong = await PostLoginAsync(page, "mia", "wrong");
        var again = await HttpAssert.ReadSuccessfulHtmlAsync(wrong);
        Assert.Contains("Unknown user or wrong password", again, StringComparison.Ordinal);
        Assert.Contains("value=\"mia\"", again, StringComparison.Ordinal);

        using var unknown = await PostLoginAsync(again, "mallory", "demo");
        Assert.Contains("Unknown user or wrong password", await HttpAssert.ReadSuccessfulHtmlAsync(unknown), StringComparison.Ordinal);
        Assert.DoesNotContain(cookies.GetCookies(host.BaseAddress), c => c.Name == ".DevIdp");
    }

    [Fact]
    public async Task ExtraUploadersAreListedAndSignInUpToTheConfiguredCountOnly()
    {
        var page = await HttpAssert.ReadSuccessfulHtmlAsync(await browser.GetAsync("dev-idp/login?returnUrl=%2Fportal-page"));
        Assert.Contains("<code>uploader1</code>", page, StringComparison.Ordinal);
        Assert.Contains("uploader2@example.com", page, StringComparison.Ordinal);
        Assert.DoesNotContain("uploader3", page, StringComparison.Ordinal);

        using var beyond = await PostLoginAsync(page, "uploader3", "demo");
        Assert.Contains("Unknown user or wrong password", await HttpAssert.ReadSuccessfulHtmlAsync(beyond), StringComparison.Ordinal);

        using var numbered = await PostLoginAsync(page, "UPLOADER1", "demo");
        Assert.Equal("/portal-page", HttpAssert.Location(numbered, host.BaseAddress).AbsolutePath);
    }

    [Fact]
    public async Task WithoutTheSettingThereAreNoExtraUploaders()
    {
        await using var plain = await DevStackTestHost.StartAsync(DevStackTestHost.Settings(simulator: false));
        using var client = plain.CreateClient(new CookieContainer());

        var page = await HttpAssert.ReadSuccessfulHtmlAsync(await client.GetAsync("dev-idp/login"));

        Assert.Contains("<code>olivia</code>", page, StringComparison.Ordinal);
        Assert.DoesNotContain("uploader", page, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("101")]
    public void ExtraUploadersOutsideTheirRangeAreRejectedWithTheirKey(string count)
    {
        var settings = DevStackTestHost.Settings(simulator: false);
        settings["DevStack:IdentityProvider:ExtraUploaders"] = count;

        var exception = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(DevStackTestHost.CreateBuilder(settings).AddDevStack);

        Assert.Equal("DevStack:IdentityProvider:ExtraUploaders must be a count from 0 to 100.", exception.Message);
    }

    [Fact]
    public async Task LoginPageEncodesWhatItEchoes()
    {
        const string attack = "/x\"><script>alert(1)</script>";

        var page = await HttpAssert.ReadSuccessfulHtmlAsync(await browser.GetAsync("dev-idp/login?returnUrl=" + Uri.EscapeDataString(attack)));
        using var wrong = await PostLoginAsync(page, "<b>mia</b>", "x");
        var again = await HttpAssert.ReadSuccessfulHtmlAsync(wrong);

        Assert.DoesNotContain("<script>", page, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", again, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>mia</b>", again, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/portal-page?x=1", "/portal-page?x=1")]
    [InlineData("//evil.example/", "/")]
    [InlineData("/\\evil.example/", "/")]
    [InlineData("http://evil.example/", "/")]
    [InlineData("", "/")]
    public async Task LoginRedirectsOnlyToLocalUrls(string returnUrl, string expected)
    {
        var page = await HttpAssert.ReadSuccessfulHtmlAsync(await browser.GetAsync("dev-idp/login?returnUrl=" + Uri.EscapeDataString(returnUrl)));

        using var response = await PostLoginAsync(page, "aaron", "demo");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(expected, response.Headers.Location?.OriginalString);
        var cookie = Assert.Single(cookies.GetCookies(host.BaseAddress), c => c.Name == ".DevIdp");
        Assert.True(cookie.HttpOnly);
    }

    [Fact]
    public async Task LoginWithoutAntiforgeryTokenIsRejected()
    {
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["username"] = "mia",
            ["password"] = "demo",
            ["returnUrl"] = "/",
        });

        using var response = await browser.PostAsync("dev-idp/login", form);

        Assert.Contains("expired", await HttpAssert.ReadSuccessfulHtmlAsync(response, HttpStatusCode.BadRequest), StringComparison.Ordinal);
        Assert.DoesNotContain(cookies.GetCookies(host.BaseAddress), c => c.Name == ".DevIdp");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)] // the portal's handler without SaveTokens sends neither client_id nor id_token_hint
    public async Task EndSessionSignsOutAndReturnsToTheRegisteredUri(bool withClientId)
    {
        var (_, authorize) = AuthorizeUri();
        await SignInAsync(HttpAssert.Location(await browser.GetAsync(authorize), host.BaseAddress), "olivia", "demo");
        Assert.Contains(cookies.GetCookies(host.BaseAddress), c => c.Name == ".DevIdp");

        var endSession = new Uri(host.BaseAddress,
            "connect/endsession?" + (withClientId ? $"client_id={DevStackTestHost.ClientId}&" : "")
            + $"post_logout_redirect_uri={Uri.EscapeDataString(DevStackTestHost.PostLogoutRedirectUri)}&state=bye");
        var back = HttpAssert.Location(await browser.GetAsync(endSession), host.BaseAddress);

        Assert.Equal(DevStackTestHost.PostLogoutRedirectUri, back.GetLeftPart(UriPartial.Path));
        Assert.Equal("bye", HttpAssert.Query(back)["state"]);
        Assert.DoesNotContain(cookies.GetCookies(host.BaseAddress), c => c.Name == ".DevIdp");
        Assert.Equal("/dev-idp/login", HttpAssert.Location(await browser.GetAsync(authorize), host.BaseAddress).AbsolutePath);
    }

    [Fact]
    public async Task EndSessionRefusesAnUnregisteredPostLogoutUri()
    {
        using var response = await browser.GetAsync(
            "connect/endsession?post_logout_redirect_uri=" + Uri.EscapeDataString("http://evil.example/"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    private (string Verifier, Uri Authorize) AuthorizeUri(string state = "state", string nonce = "nonce")
    {
        var verifier = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        var challenge = Base64Url.EncodeToString(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
        var uri = new Uri(host.BaseAddress,
            "connect/authorize"
            + $"?client_id={DevStackTestHost.ClientId}"
            + $"&redirect_uri={Uri.EscapeDataString(DevStackTestHost.RedirectUri)}"
            + "&response_type=code&response_mode=query"
            + $"&scope={Uri.EscapeDataString(Scope)}"
            + $"&state={state}&nonce={nonce}"
            + $"&code_challenge={challenge}&code_challenge_method=S256");
        return (verifier, uri);
    }

    /// <summary>Opens the sign-in page, posts the form and returns where it redirects to.</summary>
    private async Task<Uri> SignInAsync(Uri loginPage, string userName, string password)
    {
        var page = await HttpAssert.ReadSuccessfulHtmlAsync(await browser.GetAsync(loginPage));
        using var response = await PostLoginAsync(page, userName, password);
        return HttpAssert.Location(response, host.BaseAddress);
    }

    private Task<HttpResponseMessage> PostLoginAsync(string page, string userName, string password)
    {
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = HiddenField(page, "__RequestVerificationToken"),
            ["returnUrl"] = HiddenField(page, "returnUrl"),
            ["username"] = userName,
            ["password"] = password,
        });
        return browser.PostAsync("dev-idp/login", form);
    }

    private async Task<JsonDocument> RedeemAsync(string code, string verifier)
    {
        using var response = await PostTokenAsync(code, verifier);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        return JsonDocument.Parse(body);
    }

    private async Task<HttpResponseMessage> PostTokenAsync(string code, string verifier, string? clientSecret = null)
    {
        using var client = host.CreateClient();
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["code"] = code,
            ["redirect_uri"] = DevStackTestHost.RedirectUri,
            ["code_verifier"] = verifier,
            ["client_id"] = DevStackTestHost.ClientId,
            ["client_secret"] = clientSecret ?? host.Connection.IdentityProvider!.ClientSecret,
        });
        return await client.PostAsync("connect/token", form);
    }

    private static string HiddenField(string page, string name)
    {
        var match = HiddenInput().Matches(page).FirstOrDefault(m => m.Groups["name"].Value == name);
        Assert.NotNull(match);
        return WebUtility.HtmlDecode(match.Groups["value"].Value);
    }

    private static JsonElement Payload(string jwt)
    {
        var parts = jwt.Split('.');
        Assert.Equal(3, parts.Length);
        using var payload = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[1]));
        return payload.RootElement.Clone();
    }

    private static IEnumerable<string> Strings(JsonElement root, string property) =>
        root.GetProperty(property).EnumerateArray().Select(e => e.GetString()!);

    [GeneratedRegex("<input type=\"hidden\" name=\"(?<name>[^\"]+)\" value=\"(?<value>[^\"]*)\">")]
    private static partial Regex HiddenInput();
}
