using System.Net;
using System.Text.RegularExpressions;

namespace Portal.Tests.TestHost;

/// <summary>
/// Drives the real sign-in through the development identity provider with plain HTTP, as a browser without
/// JavaScript would: follow redirects, fill in the login form, submit the provider's form_post response.
/// </summary>
public static partial class BrowserSession
{
    public const string DemoPassword = "demo";

    public static async Task<HttpClient> SignInAsync(PortalFactory factory, string username, string startPath = "/")
    {
        var client = factory.CreateBrowserClient();
        var loginPage = await client.GetAsync(startPath);
        var loginHtml = await loginPage.Content.ReadAsStringAsync();
        Assert.True(loginPage.StatusCode == HttpStatusCode.OK && loginPage.RequestMessage!.RequestUri!.AbsolutePath.StartsWith("/dev-idp/login", StringComparison.Ordinal),
            $"Expected the identity provider's login page, got {loginPage.StatusCode} at {loginPage.RequestMessage?.RequestUri}");

        var login = ReadForm(loginHtml, loginPage.RequestMessage!.RequestUri!);
        login.Fields["username"] = username;
        login.Fields["password"] = DemoPassword;
        var afterLogin = await client.PostAsync(login.Action, new FormUrlEncodedContent(login.Fields));
        var afterLoginHtml = await afterLogin.Content.ReadAsStringAsync();

        // The provider answers the authorization request with response_mode=form_post: a self-submitting form to /signin-oidc.
        var callback = ReadForm(afterLoginHtml, afterLogin.RequestMessage!.RequestUri!);
        Assert.EndsWith("/signin-oidc", callback.Action.AbsolutePath, StringComparison.Ordinal);
        var landed = await client.PostAsync(callback.Action, new FormUrlEncodedContent(callback.Fields));
        Assert.Equal(HttpStatusCode.OK, landed.StatusCode);
        Assert.Equal(startPath, landed.RequestMessage!.RequestUri!.AbsolutePath);
        return client;
    }

    /// <summary>The antiforgery token a page renders (the sign-out form in the app bar carries one).</summary>
    public static async Task<string> AntiforgeryTokenAsync(HttpClient client, string path)
    {
        var html = await client.GetStringAsync(path);
        return ReadForm(html, client.BaseAddress!).Fields["__RequestVerificationToken"];
    }

    /// <summary>Posts a package the way the upload page's script does: raw body, name in the query, token in a header.</summary>
    public static Task<HttpResponseMessage> PostPackageAsync(HttpClient client, string token, string fileName, string content, string app = DemoApp) =>
        PostPackageAsync(client, token, fileName, new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes(content)), app);

    /// <summary>The same with any body; <c>Expect: 100-continue</c> lets a refusal come back before a large body is sent.</summary>
    public static Task<HttpResponseMessage> PostPackageAsync(HttpClient client, string token, string fileName, HttpContent content, string app = DemoApp,
        bool expectContinue = false)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/uploads?app={Uri.EscapeDataString(app)}&fileName={Uri.EscapeDataString(fileName)}")
        {
            Content = content,
        };
        request.Headers.Add("RequestVerificationToken", token);
        request.Headers.ExpectContinue = expectContinue;
        return client.SendAsync(request);
    }

    public const string DemoApp = "Demo app (simulator)";

    public static HtmlForm ReadForm(string html, Uri pageUri)
    {
        var form = FormPattern().Match(html);
        Assert.True(form.Success, $"No form in the page at {pageUri}:\n{html[..Math.Min(html.Length, 2000)]}");
        var action = WebUtility.HtmlDecode(ActionPattern().Match(form.Value) is { Success: true } a ? a.Groups[1].Value : pageUri.ToString());
        var fields = new Dictionary<string, string>();
        foreach (Match input in InputPattern().Matches(form.Value))
        {
            var name = AttributePattern("name").Match(input.Value);
            if (name.Success)
            {
                var value = AttributePattern("value").Match(input.Value);
                fields[WebUtility.HtmlDecode(name.Groups[1].Value)] = value.Success ? WebUtility.HtmlDecode(value.Groups[1].Value) : "";
            }
        }

        return new HtmlForm(new Uri(pageUri, action), fields);
    }

    public sealed record HtmlForm(Uri Action, Dictionary<string, string> Fields);

    [GeneratedRegex("<form[^>]*>.*?</form>", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex FormPattern();

    [GeneratedRegex("<form[^>]*\\saction=\"([^\"]*)\"", RegexOptions.IgnoreCase)]
    private static partial Regex ActionPattern();

    [GeneratedRegex("<input[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex InputPattern();

    private static Regex AttributePattern(string attribute) => new($"\\s{attribute}=\"([^\"]*)\"", RegexOptions.IgnoreCase);
}
