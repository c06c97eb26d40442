using System.Text.Json;
using Portal.Api;
using Portal.Tests.TestHost;

namespace Portal.Tests.Api;

/// <summary>The OpenAPI document is generated from the code at its documented path in Development and describes every endpoint of /api/v1.</summary>
public sealed class OpenApiDocumentTests
{
    [Fact]
    public async Task The_document_lists_every_endpoint_with_its_methods_and_the_browser_is_served()
    {
        using var portal = new PortalFactory();
        using var http = portal.CreateBrowserClient(followRedirects: false);

        using var document = JsonDocument.Parse(await http.GetStringAsync(PortalApi.OpenApiPath));
        using var browser = await http.GetAsync(PortalApi.BrowserPath);

        var paths = document.RootElement.GetProperty("paths");
        var operations = paths.EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Select(method => $"{method.Name.ToUpperInvariant()} {path.Name}"))
            .ToHashSet();
        Assert.Superset(new HashSet<string>
        {
            "POST /api/v1/uploads",
            "GET /api/v1/uploads",
            "GET /api/v1/uploads/{id}",
            "GET /api/v1/uploads/{id}/problems",
            "POST /api/v1/uploads/{id}/send",
            "DELETE /api/v1/uploads/{id}/send",
            "GET /api/v1/events",
            "GET /api/v1/problems",
            "GET /api/v1/problems/{code}",
        }, operations);
        Assert.DoesNotContain(operations, operation => operation.Contains("/connect/", StringComparison.Ordinal));
        var send = paths.GetProperty("/api/v1/uploads/{id}/send").GetProperty("post");
        Assert.Contains(send.GetProperty("parameters").EnumerateArray(), parameter => parameter.GetProperty("name").GetString() == UploadsApi.IdempotencyKeyHeader);
        Assert.Equal(System.Net.HttpStatusCode.OK, browser.StatusCode);
        Assert.Contains("scalar", await browser.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
    }
}
