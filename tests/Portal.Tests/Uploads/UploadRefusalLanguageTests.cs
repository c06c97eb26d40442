using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Portal.Api;
using Portal.Tests.TestHost;

namespace Portal.Tests.Uploads;

/// <summary>
/// <c>POST /api/uploads</c> (the upload page's) refuses in the language of the request, with the API's problem types
/// unchanged; the same refusal at the API (<c>/api/v1</c>) stays in English for the machines that read it.
/// </summary>
public sealed class UploadRefusalLanguageTests(PortalFixture fixture) : IClassFixture<PortalFixture>
{
    private readonly PortalFactory _factory = fixture.Factory;

    [Theory]
    [InlineData("zh-CN", "folder/list.txt", BrowserSession.DemoApp, "file-name", "文件名中含有文件夹分隔符")]
    [InlineData("zh-CN", "list.txt", "Nobody's app", "app-not-allowed", "“Nobody's app”不是您可以上传到的腾讯应用。")]
    [InlineData("en", "folder/list.txt", BrowserSession.DemoApp, "file-name", "The file name 'folder/list.txt' holds '/', which separates folders at position 7")]
    [InlineData("en", "list.txt", "Nobody's app", "app-not-allowed", "'Nobody's app' is not a Tencent app you may upload to.")]
    public async Task A_refused_upload_is_explained_in_the_readers_language_under_the_same_problem_type(
        string language, string fileName, string app, string problem, string detail)
    {
        using var client = await BrowserSession.SignInAsync(_factory, "mia", "/upload");
        client.DefaultRequestHeaders.AcceptLanguage.Add(new StringWithQualityHeaderValue(language));
        var token = await BrowserSession.AntiforgeryTokenAsync(client, "/upload");

        using var response = await BrowserSession.PostPackageAsync(client, token, fileName, "alice\nbob\n", app);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var (type, text) = await ProblemAsync(response);
        Assert.Equal(ApiProblemTypes.TypePrefix + problem, type);
        Assert.StartsWith(detail, text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("zh-CN", "页面的安全令牌缺失或已过期。请刷新页面后重试。")]
    [InlineData("en", "The page's security token is missing or has expired. Reload the page and try again.")]
    public async Task An_expired_page_token_says_so_in_the_readers_language(string language, string detail)
    {
        using var client = await BrowserSession.SignInAsync(_factory, "mia", "/upload");
        client.DefaultRequestHeaders.AcceptLanguage.Add(new StringWithQualityHeaderValue(language));

        using var response = await BrowserSession.PostPackageAsync(client, "not-a-token", "list.txt", "alice\n");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal((ApiProblemTypes.BadRequest.Type, detail), await ProblemAsync(response));
    }

    private static async Task<(string? Type, string? Detail)> ProblemAsync(HttpResponseMessage response)
    {
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return (problem.RootElement.GetProperty("type").GetString(), problem.RootElement.GetProperty("detail").GetString());
    }
}
