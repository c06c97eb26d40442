using Portal.Testing;

namespace Portal.Tests.TestHost;

/// <summary>
/// A signed-in browser tab for the tests: the real sign-in through the development identity provider (<see cref="DevSignIn"/>),
/// then posts as the upload page makes them.
/// </summary>
public static class BrowserSession
{
    public const string DemoApp = PackageUpload.DemoApp;

    public static async Task<HttpClient> SignInAsync(PortalFactory factory, string username, string startPath = "/")
    {
        var client = factory.CreateBrowserClient();
        var landed = await DevSignIn.SignInAsync(client, username, startPath);
        Assert.Equal(startPath, landed.AbsolutePath);
        return client;
    }

    /// <summary>The antiforgery token a page renders (the sign-out form in the app bar carries one).</summary>
    public static Task<string> AntiforgeryTokenAsync(HttpClient client, string path) => DevSignIn.AntiforgeryTokenAsync(client, path);

    /// <summary>Posts a package the way the upload page's script does: raw body, name in the query, token in a header.</summary>
    public static Task<HttpResponseMessage> PostPackageAsync(HttpClient client, string token, string fileName, string content, string app = DemoApp) =>
        PostPackageAsync(client, token, fileName, new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes(content)), app);

    /// <summary>The same with any body; <c>Expect: 100-continue</c> lets a refusal come back before a large body is sent.</summary>
    public static Task<HttpResponseMessage> PostPackageAsync(HttpClient client, string token, string fileName, HttpContent content, string app = DemoApp,
        bool expectContinue = false)
    {
        var request = PackageUpload.Request(token, fileName, content, app);
        request.Headers.ExpectContinue = expectContinue;
        return client.SendAsync(request);
    }
}
