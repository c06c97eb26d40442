using System.Net;
using System.Text.RegularExpressions;

namespace Portal.Testing;

/// <summary>
/// The real sign-in through the development identity provider with plain HTTP, as a browser without JavaScript would:
/// follow redirects, fill in the login form, submit the provider's form_post response. Compiled into the tests and the
/// load benchmark; a step that does not go as a browser's would throws, naming what came back instead.
/// </summary>
public static partial class DevSignIn
{
    public const string DemoPassword = "demo";

    /// <summary>
    /// Signs <paramref name="client"/> (its own cookie jar, following redirects) in as <paramref name="username"/> by
    /// opening <paramref name="startPath"/>; returns where the portal sent it back to.
    /// </summary>
    public static async Task<Uri> SignInAsync(HttpClient client, string username, string startPath = "/")
    {
        ArgumentNullException.ThrowIfNull(client);
        using var loginPage = await client.GetAsync(startPath);
        var loginUri = loginPage.RequestMessage!.RequestUri!;
        if (loginPage.StatusCode != HttpStatusCode.OK || !loginUri.AbsolutePath.StartsWith("/dev-idp/login", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"Opening {startPath} should lead to the identity provider's login page; got {(int)loginPage.StatusCode} at {loginUri}.");
        }

        var login = ReadForm(await loginPage.Content.ReadAsStringAsync(), loginUri);
        login.Fields["username"] = username;
        login.Fields["password"] = DemoPassword;
        using var loginForm = new FormUrlEncodedContent(login.Fields);
        using var afterLogin = await client.PostAsync(login.Action, loginForm);

        // The provider answers the authorization request with response_mode=form_post: a self-submitting form to /signin-oidc.
        var callback = ReadForm(await afterLogin.Content.ReadAsStringAsync(), afterLogin.RequestMessage!.RequestUri!);
        if (!callback.Action.AbsolutePath.EndsWith("/signin-oidc", StringComparison.Ordinal))
        {
            throw new InvalidOperationException(
                $"Signing in as '{username}' should answer with a form posting to /signin-oidc; its form posts to {callback.Action} (unknown user or wrong password?).");
        }

        using var callbackForm = new FormUrlEncodedContent(callback.Fields);
        using var landed = await client.PostAsync(callback.Action, callbackForm);
        var landedUri = landed.RequestMessage!.RequestUri!;
        if (landed.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"The portal should accept the sign-in of '{username}'; it answered {(int)landed.StatusCode} at {landedUri}.");
        }

        return landedUri;
    }

    /// <summary>The antiforgery token a page renders (the sign-out form in the app bar carries one).</summary>
    public static async Task<string> AntiforgeryTokenAsync(HttpClient client, string path)
    {
        ArgumentNullException.ThrowIfNull(client);
        var html = await client.GetStringAsync(path);
        return ReadForm(html, client.BaseAddress!).Fields.TryGetValue("__RequestVerificationToken", out var token)
            ? token
            : throw new InvalidOperationException($"The first form of {path} carries no antiforgery token.");
    }

    /// <summary>The first form of a page: where it posts to and its inputs' names and values.</summary>
    public static HtmlForm ReadForm(string html, Uri pageUri)
    {
        ArgumentNullException.ThrowIfNull(html);
        var form = FormPattern().Match(html);
        if (!form.Success)
        {
            throw new InvalidOperationException($"No form in the page at {pageUri}:\n{html[..Math.Min(html.Length, 2000)]}");
        }

        var action = WebUtility.HtmlDecode(ActionPattern().Match(form.Value) is { Success: true } a ? a.Groups[1].Value : pageUri.ToString());
        var fields = new Dictionary<string, string>();
        foreach (Match input in InputPattern().Matches(form.Value))
        {
            var name = NamePattern().Match(input.Value);
            if (name.Success)
            {
                var value = ValuePattern().Match(input.Value);
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

    [GeneratedRegex("\\sname=\"([^\"]*)\"", RegexOptions.IgnoreCase)]
    private static partial Regex NamePattern();

    [GeneratedRegex("\\svalue=\"([^\"]*)\"", RegexOptions.IgnoreCase)]
    private static partial Regex ValuePattern();
}
