using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Portal.DevStack;

namespace Portal.Tests.DevStack;

/// <summary>Requests to the Tencent Push simulator as a script would send them, and its JSON answer.</summary>
internal static class SimulatorRequests
{
    /// <summary><c>1500000001:0123456789abcdef0123456789abcdef</c>, the app of <see cref="DevStackTestHost.Settings"/>.</summary>
    public const string Authorization = "Basic MTUwMDAwMDAwMTowMTIzNDU2Nzg5YWJjZGVmMDEyMzQ1Njc4OWFiY2RlZg==";

    public static async Task<HttpResponseMessage> SendAsync(
        HttpClient client,
        Uri uri,
        HttpContent content,
        string? authorization = Authorization,
        string? fault = null,
        HttpCompletionOption completion = HttpCompletionOption.ResponseContentRead)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = content };
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        if (fault is not null)
        {
            request.Headers.Add(TencentSimulatorFaults.Header, fault);
        }

        return await client.SendAsync(request, completion);
    }

    /// <summary>Asserts Tencent's answer shape (HTTP 200, JSON, exact camelCase names) and returns its fields.</summary>
    public static async Task<(int RetCode, string ErrMsg, long UploadId)> ReadAnswerAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = json.RootElement;
        return (root.GetProperty("retCode").GetInt32(), root.GetProperty("errMsg").GetString()!, root.GetProperty("uploadId").GetInt64());
    }

    public static MultipartFormDataContent Package(string fileName, byte[] bytes) => Package(fileName, new MemoryStream(bytes));

    public static MultipartFormDataContent Package(string fileName, Stream stream)
    {
        var file = new StreamContent(stream);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        return new MultipartFormDataContent { { file, "file", fileName } };
    }

    /// <summary>A request body written byte for byte, with the Content-Type given (HttpClient would not reformat it).</summary>
    public static ByteArrayContent Raw(string contentType, string body)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        return content;
    }
}
