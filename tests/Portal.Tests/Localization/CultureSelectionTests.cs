using System.Net;
using System.Text.RegularExpressions;
using Portal.Localization;
using Portal.Tests.TestHost;

namespace Portal.Tests.Localization;

/// <summary>
/// The page's language over real HTTP: the switch's cookie first, then the browser's Accept-Language, then English; the
/// cookie set by /culture, which goes back only to a page of the portal.
/// </summary>
public sealed partial class CultureSelectionTests(PortalFixture fixture) : IClassFixture<PortalFixture>
{
    [Theory]
    [InlineData(null, "en")]
    [InlineData("fr-FR, de;q=0.8", "en")]
    [InlineData("zh-CN,zh;q=0.9,en;q=0.8", "zh-CN")]
    [InlineData("zh", "zh-CN")]
    [InlineData("zh-Hans-CN", "zh-CN")]
    [InlineData("fr, en;q=0.9, zh;q=0.8", "en")]
    [InlineData("en;q=0.5, zh-TW;q=0.9", "zh-CN")]
    public async Task The_page_speaks_the_first_language_of_the_browser_the_portal_knows(string? acceptLanguage, string expected)
    {
        using var client = fixture.Factory.CreateBrowserClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/signed-out");
        if (acceptLanguage is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept-Language", acceptLanguage);
        }

        using var response = await client.SendAsync(request);

        var html = await response.Content.ReadAsStringAsync();
        Assert.Equal(expected, HtmlLang(html));
        Assert.Contains(expected == "zh-CN" ? "<title>号码包上传门户</title>" : "<title>Account package portal</title>", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("en", "The connection to the portal was interrupted. Reconnecting…")]
    [InlineData("zh-CN", "与门户的连接已中断。正在重新连接…")]
    public async Task The_reconnect_screen_is_the_portals_own_in_the_readers_language(string acceptLanguage, string reconnecting)
    {
        using var client = fixture.Factory.CreateBrowserClient();
        client.DefaultRequestHeaders.TryAddWithoutValidation("Accept-Language", acceptLanguage);

        var html = await client.GetStringAsync("/signed-out");

        Assert.Contains("<div id=\"components-reconnect-modal\" class=\"portal-reconnect\" role=\"alert\"", html, StringComparison.Ordinal);
        Assert.Contains($"<p class=\"reconnect-retrying\">{reconnecting}</p>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_switch_remembers_a_language_over_the_browsers_own()
    {
        var cookies = new CookieContainer();
        using var client = fixture.Factory.CreateBrowserClient(followRedirects: false, cookies);
        client.DefaultRequestHeaders.TryAddWithoutValidation("Accept-Language", "en-US,en;q=0.9");

        using var switched = await client.GetAsync(LocalizationExtensions.SwitchUrl("zh-CN", "/signed-out?from=switch"));

        Assert.Equal(HttpStatusCode.Redirect, switched.StatusCode);
        Assert.Equal("/signed-out?from=switch", switched.Headers.Location?.OriginalString);
        var cookie = Assert.Single(switched.Headers.GetValues("Set-Cookie"), value => value.StartsWith(PortalCultures.CookieName, StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("max-age=31536000", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("zh-CN", HtmlLang(await client.GetStringAsync("/signed-out")));

        using var back = await client.GetAsync(LocalizationExtensions.SwitchUrl("en", "/signed-out"));
        client.DefaultRequestHeaders.Remove("Accept-Language");
        client.DefaultRequestHeaders.TryAddWithoutValidation("Accept-Language", "zh-CN");
        Assert.Equal("en", HtmlLang(await client.GetStringAsync("/signed-out")));
    }

    [Theory]
    [InlineData("https://evil.example/")]
    [InlineData("//evil.example/")]
    [InlineData("/\t/evil.example")]
    [InlineData(null)]
    public async Task The_switch_goes_back_only_to_a_page_of_the_portal(string? returnUrl)
    {
        using var client = fixture.Factory.CreateBrowserClient(followRedirects: false);

        using var response = await client.GetAsync(returnUrl is null ? "/culture?set=zh-CN" : LocalizationExtensions.SwitchUrl("zh-CN", returnUrl));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", response.Headers.Location?.OriginalString);
    }

    [Theory]
    [InlineData("fr-FR")]
    [InlineData("zh-CN\r\nSet-Cookie: x=1")]
    [InlineData("")]
    public async Task A_language_the_portal_does_not_speak_changes_nothing(string culture)
    {
        using var client = fixture.Factory.CreateBrowserClient(followRedirects: false);

        using var response = await client.GetAsync(LocalizationExtensions.SwitchUrl(culture, "/signed-out"));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.False(response.Headers.Contains("Set-Cookie"));
    }

    private static string HtmlLang(string html) => HtmlLangPattern().Match(html).Groups[1].Value;

    [GeneratedRegex("<html lang=\"([^\"]*)\"")]
    private static partial Regex HtmlLangPattern();
}
