namespace Portal.Testing;

/// <summary><c>POST /api/uploads</c> as the upload page's script sends it: the raw file as the body, app and name in the query, the antiforgery token in a header.</summary>
public static class PackageUpload
{
    public const string DemoApp = "Demo app (simulator)";

    public static HttpRequestMessage Request(string token, string fileName, HttpContent content, string app = DemoApp)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/uploads?app={Uri.EscapeDataString(app)}&fileName={Uri.EscapeDataString(fileName)}")
        {
            Content = content,
        };
        request.Headers.Add("RequestVerificationToken", token);
        return request;
    }
}
