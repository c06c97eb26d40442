using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Portal.Tencent;
using Portal.Tests.DevStack;

namespace Portal.Tests.Tencent;

/// <summary>What arrived: whose it is, under which name, and exactly which bytes.</summary>
public sealed record ObservedUpload(string AccessId, string FileName, long Size, string Sha256Hex);

/// <summary>
/// The upload contract (docs/tpns-api.md §1–2): Basic auth with the app's credentials, one part named <c>file</c> whose
/// filename is the package's base name, and the package's bytes as they are. Two receivers check it: the raw bytes
/// captured on a loopback socket (<see cref="CapturedRequestContractTests"/>, which also holds them to the exact
/// documented form), and the simulator (<see cref="SimulatorContractTests"/>).
/// </summary>
public abstract class UploadContractTests : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("tencent-contract-").FullName;

    public static TheoryData<string, string, byte[]> Packages => new()
    {
        { "accounts.txt", "accounts.txt", "alice\nbob\n"u8.ToArray() },
        { "号码包 三月.csv", "号码包 三月.csv", "张伟\n李娜\n"u8.ToArray() },
        { "/var/portal/staging/exports/tokens.txt", "tokens.txt", "0123456789abcdef0123456789abcdef0123\n"u8.ToArray() },
        { @"C:\Users\mia\Desktop\accounts.csv", "accounts.csv", "a1\r\na2\r\n"u8.ToArray() },
        { "boundary-lookalike.txt", "boundary-lookalike.txt", "--TencentPushPortal\r\n\r\n--\r\n"u8.ToArray() },
        { "accounts.zip", "accounts.zip", Zip("accounts.csv", "a1\na2\na3\n") },
    };

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public virtual Task DisposeAsync()
    {
        Directory.Delete(_directory, recursive: true);
        return Task.CompletedTask;
    }

    [Theory]
    [MemberData(nameof(Packages))]
    public async Task The_package_arrives_under_its_base_name_with_its_exact_bytes(string fileName, string baseName, byte[] content)
    {
        var path = Path.Combine(_directory, $"{Guid.NewGuid():N}.staged");
        await File.WriteAllBytesAsync(path, content);

        var (result, observed) = await UploadAsync(path, fileName);

        Assert.True(result.Succeeded, result.FailureMessage);
        Assert.Equal(
            new ObservedUpload(DevStackTestHost.AccessId, baseName, content.LongLength, Convert.ToHexStringLower(SHA256.HashData(content))),
            observed);
    }

    protected static TencentAppOptions App(Uri baseUrl) => new()
    {
        Name = "Contract",
        Region = TencentRegion.Custom,
        BaseUrl = baseUrl,
        AccessId = DevStackTestHost.AccessId,
        SecretKey = DevStackTestHost.SecretKey,
    };

    protected static TencentPushClient Client(HttpClient http) =>
        new(http, Options.Create(new TencentOptions()), NullLogger<TencentPushClient>.Instance);

    /// <summary>Sends the staged file with <see cref="TencentPushClient"/> and reports what the receiver saw.</summary>
    protected abstract Task<(TencentUploadResult Result, ObservedUpload Observed)> UploadAsync(string stagedFilePath, string fileName);

    private static byte[] Zip(string entryName, string text)
    {
        using var buffer = new MemoryStream();
        using (var archive = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            using var writer = new StreamWriter(archive.CreateEntry(entryName).Open());
            writer.Write(text);
        }

        return buffer.ToArray();
    }
}

/// <summary>The contract, checked on the raw request bytes: the exact documented form, nothing more, nothing less.</summary>
public sealed class CapturedRequestContractTests : UploadContractTests
{
    private readonly HttpClient _http = new(TencentPushClient.CreatePrimaryHandler(new TencentOptions()));

    public override Task DisposeAsync()
    {
        _http.Dispose();
        return base.DisposeAsync();
    }

    [Fact]
    public async Task The_request_is_exactly_the_documented_form()
    {
        var (head, body) = await CaptureAsync("accounts.csv", "a1\na2\n"u8.ToArray());

        var boundary = Header(head, "Content-Type")["multipart/form-data; boundary=".Length..];
        Assert.Equal(
            [
                "POST /v3/push/package/upload HTTP/1.1",
                "Host: 127.0.0.1:" + head[1].Split(':')[2],
                "Authorization: Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{DevStackTestHost.AccessId}:{DevStackTestHost.SecretKey}")),
                $"Content-Type: multipart/form-data; boundary={boundary}",
                "Content-Length: " + body.Length,
            ],
            head);
        Assert.Matches("^TencentPushPortal[0-9a-f]{32}$", boundary);
        Assert.Equal(
            $"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"accounts.csv\"\r\nContent-Type: application/octet-stream\r\n\r\n"
            + $"a1\na2\n\r\n--{boundary}--\r\n",
            Encoding.UTF8.GetString(body));
    }

    [Fact]
    public async Task A_utf8_name_is_sent_as_raw_utf8_in_the_quoted_filename_only()
    {
        var (_, body) = await CaptureAsync("号码包.csv", "a1\n"u8.ToArray());

        var partHeader = Encoding.UTF8.GetString(body).Split("\r\n")[1];
        Assert.Equal("Content-Disposition: form-data; name=\"file\"; filename=\"号码包.csv\"", partHeader);
        Assert.True(body.AsSpan().IndexOf("filename=\"\u53f7\u7801\u5305.csv\""u8) > 0, "the name's UTF-8 bytes, not an encoded-word or filename*");
    }

    [Fact]
    public async Task Quotes_and_line_breaks_in_a_name_are_percent_encoded_as_browsers_do()
    {
        var (_, body) = await CaptureAsync("say \"hi\"\r\n.csv", "a1\n"u8.ToArray());

        Assert.Contains("filename=\"say %22hi%22%0D%0A.csv\"\r\n", Encoding.UTF8.GetString(body), StringComparison.Ordinal);
    }

    protected override async Task<(TencentUploadResult Result, ObservedUpload Observed)> UploadAsync(string stagedFilePath, string fileName)
    {
        await using var server = new CapturingServer(CapturingServer.Json("""{"retCode":0,"errMsg":"","uploadId":1}"""));
        var result = await Client(_http).UploadPackageAsync(App(server.BaseUrl), stagedFilePath, fileName, CancellationToken.None);
        return (result, Parse(await server.Request));
    }

    /// <summary>Reads a request in the documented form; anything else fails the test.</summary>
    private static ObservedUpload Parse(byte[] request)
    {
        var (head, body) = Split(request);
        Assert.Equal("POST /v3/push/package/upload HTTP/1.1", head[0]);
        var credentials = Encoding.UTF8.GetString(Convert.FromBase64String(Header(head, "Authorization")["Basic ".Length..]));
        Assert.Equal($"{DevStackTestHost.AccessId}:{DevStackTestHost.SecretKey}", credentials);
        Assert.Equal(body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), Header(head, "Content-Length"));

        var boundary = Header(head, "Content-Type")["multipart/form-data; boundary=".Length..];
        var opening = Encoding.UTF8.GetBytes($"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"");
        var afterName = "\"\r\nContent-Type: application/octet-stream\r\n\r\n"u8;
        var closing = Encoding.UTF8.GetBytes($"\r\n--{boundary}--\r\n");
        Assert.True(body.AsSpan().StartsWith(opening) && body.AsSpan().EndsWith(closing), "one part named file, then the closing boundary");
        var nameEnd = body.AsSpan(opening.Length).IndexOf(afterName) + opening.Length;
        var package = body[(nameEnd + afterName.Length)..^closing.Length];
        return new ObservedUpload(
            credentials[..credentials.IndexOf(':', StringComparison.Ordinal)],
            Encoding.UTF8.GetString(body, opening.Length, nameEnd - opening.Length),
            package.LongLength,
            Convert.ToHexStringLower(SHA256.HashData(package)));
    }

    private async Task<(string[] Head, byte[] Body)> CaptureAsync(string fileName, byte[] content)
    {
        var path = Path.Combine(Path.GetTempPath(), $"tencent-capture-{Guid.NewGuid():N}");
        await File.WriteAllBytesAsync(path, content);
        try
        {
            await using var server = new CapturingServer(CapturingServer.Json("""{"retCode":0,"errMsg":"","uploadId":1}"""));
            Assert.True((await Client(_http).UploadPackageAsync(App(server.BaseUrl), path, fileName, CancellationToken.None)).Succeeded);
            return Split(await server.Request);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static (string[] Head, byte[] Body) Split(byte[] request)
    {
        var end = request.AsSpan().IndexOf("\r\n\r\n"u8);
        return (Encoding.UTF8.GetString(request, 0, end).Split("\r\n"), request[(end + 4)..]);
    }

    private static string Header(string[] head, string name) =>
        Assert.Single(head, line => line.StartsWith(name + ": ", StringComparison.OrdinalIgnoreCase))[(name.Length + 2)..];
}

/// <summary>The contract, checked by the simulator over HTTP on loopback: it must see what the raw capture sees.</summary>
public sealed class SimulatorContractTests : UploadContractTests
{
    private DevStackTestHost _simulator = default!;

    public override async Task InitializeAsync() =>
        _simulator = await DevStackTestHost.StartAsync(DevStackTestHost.Settings(identityProvider: false));

    public override async Task DisposeAsync()
    {
        await _simulator.DisposeAsync();
        await base.DisposeAsync();
    }

    protected override async Task<(TencentUploadResult Result, ObservedUpload Observed)> UploadAsync(string stagedFilePath, string fileName)
    {
        using var http = new HttpClient(TencentPushClient.CreatePrimaryHandler(new TencentOptions()));
        var result = await Client(http).UploadPackageAsync(App(new Uri(_simulator.BaseAddress, "tencent-simulator/")), stagedFilePath, fileName, CancellationToken.None);
        var package = Assert.Single(_simulator.Recorder.Received);
        Assert.Equal(package.UploadId, result.UploadId);
        return (result, new ObservedUpload(package.AccessId, package.FileName, package.Size, package.Sha256Hex));
    }
}
