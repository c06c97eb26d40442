using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;

namespace Portal.Tests.DevStack;

/// <summary>
/// The simulator takes what Tencent's own samples send (docs/tpns-api.md, "How the official samples build the multipart
/// request"): each body below is what that sample's library writes, byte for byte.
/// </summary>
public sealed class TencentSimulatorSampleTests : SimulatorTest
{
    private const string Accounts = "a1\na2\n";

    public static TheoryData<string, string, string, string> Samples => new()
    {
        // Python3 urllib3 encode_multipart_formdata: uuid4 hex boundary, the path as opened, type guessed from the name.
        {
            "python-urllib3", "multipart/form-data; boundary=2f5c4e6a0b8d4e3f9a7c1b2d3e4f5a6b",
            "--2f5c4e6a0b8d4e3f9a7c1b2d3e4f5a6b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"/home/ops/packages/accounts.txt\"\r\n"
            + "Content-Type: text/plain\r\n\r\n" + Accounts + "\r\n--2f5c4e6a0b8d4e3f9a7c1b2d3e4f5a6b--\r\n",
            "accounts.txt"
        },

        // Go multipart.Writer.CreateFormFile: 60-hex boundary, base name, application/octet-stream; UTF-8 name as is.
        {
            "go", "multipart/form-data; boundary=" + GoBoundary,
            $"--{GoBoundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"号码包.csv\"\r\n"
            + "Content-Type: application/octet-stream\r\n\r\n" + Accounts + $"\r\n--{GoBoundary}--\r\n",
            "号码包.csv"
        },

        // Java OkHttp MultipartBody.FORM: uuid boundary, part type multipart/form-data (as written), a part Content-Length.
        {
            "java-okhttp", "multipart/form-data; boundary=6f1d2a3b-4c5d-6e7f-8091-a2b3c4d5e6f7",
            "--6f1d2a3b-4c5d-6e7f-8091-a2b3c4d5e6f7\r\nContent-Disposition: form-data; name=\"file\"; filename=\"accounts.txt\"\r\n"
            + "Content-Type: multipart/form-data\r\nContent-Length: 6\r\n\r\n" + Accounts + "\r\n--6f1d2a3b-4c5d-6e7f-8091-a2b3c4d5e6f7--\r\n",
            "accounts.txt"
        },

        // PHP CURLFile($file, 'multipart/form-data', basename($file)) through libcurl, which adds the boundary.
        {
            "php-curlfile", "multipart/form-data; boundary=------------------------d74496d66958873e",
            "--------------------------d74496d66958873e\r\nContent-Disposition: form-data; name=\"file\"; filename=\"accounts.csv\"\r\n"
            + "Content-Type: multipart/form-data\r\n\r\n" + Accounts + "\r\n--------------------------d74496d66958873e--\r\n",
            "accounts.csv"
        },

        // curl -F 'file=@accounts.txt' (token-package page) and the C++ libcurl sample: type guessed from the name.
        {
            "curl", "multipart/form-data; boundary=------------------------3c1a6f0e9b2d4c11",
            "--------------------------3c1a6f0e9b2d4c11\r\nContent-Disposition: form-data; name=\"file\"; filename=\"accounts.txt\"\r\n"
            + "Content-Type: text/plain\r\n\r\n" + Accounts + "\r\n--------------------------3c1a6f0e9b2d4c11--\r\n",
            "accounts.txt"
        },

        // Python requests files= plus data={"fileName": path}: the extra field first, no part type for the file.
        {
            "python-requests", "multipart/form-data; boundary=9e3c1f0a5b7d2e4f6a8c0b1d3e5f7a9c",
            "--9e3c1f0a5b7d2e4f6a8c0b1d3e5f7a9c\r\nContent-Disposition: form-data; name=\"fileName\"\r\n\r\n/home/ops/packages/tokens.txt\r\n"
            + "--9e3c1f0a5b7d2e4f6a8c0b1d3e5f7a9c\r\nContent-Disposition: form-data; name=\"file\"; filename=\"tokens.txt\"\r\n\r\n"
            + Accounts + "\r\n--9e3c1f0a5b7d2e4f6a8c0b1d3e5f7a9c--\r\n",
            "tokens.txt"
        },
    };

    private static string GoBoundary => "5e1c0a9d8b7f6e5d4c3b2a1f0e9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b4a3f";

    [Theory]
    [MemberData(nameof(Samples))]
    public async Task WhatEachOfficialSampleSendsIsTaken(string sample, string contentType, string body, string recordedName)
    {
        using var response = await SimulatorRequests.SendAsync(Client, Host.UploadUri, SimulatorRequests.Raw(contentType, body));

        var answer = await SimulatorRequests.ReadAnswerAsync(response);
        Assert.True(answer == (0, "", 1L), $"{sample}: {answer}");
        var package = Assert.Single(Host.Recorder.Received);
        Assert.Equal((recordedName, 6L, Sha256Hex(Accounts), 2L), (package.FileName, package.Size, package.Sha256Hex, package.RowCount));
    }

    [Theory]
    [InlineData("accounts.csv")]
    [InlineData("号码包.csv")]
    public async Task WhatTheCSharpSampleSendsIsTaken(string fileName)
    {
        // As the C# sample writes it: Name and FileName set on the header value (so unquoted name, and a MIME
        // encoded-word for a non-ASCII name), no part Content-Type, and Expect: 100-continue.
        var file = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(Accounts)));
        file.Headers.ContentDisposition = new ContentDispositionHeaderValue("form-data") { Name = "file", FileName = fileName };
        using var request = new HttpRequestMessage(HttpMethod.Post, Host.UploadUri) { Content = new MultipartFormDataContent { file } };
        request.Headers.TryAddWithoutValidation("Authorization", SimulatorRequests.Authorization);
        request.Headers.ExpectContinue = true;

        using var response = await Client.SendAsync(request);

        Assert.Equal((0, "", 1L), await SimulatorRequests.ReadAnswerAsync(response));
        Assert.Equal(fileName, Assert.Single(Host.Recorder.Received).FileName);
    }

    private static string Sha256Hex(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
