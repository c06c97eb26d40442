using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using Portal.Testing;

namespace Portal.Tests.DevStack;

public sealed class TencentSimulatorTests : SimulatorTest
{

    [Fact]
    public async Task UploadsGetIncreasingIdsAndAreRecordedExactly()
    {
        var accounts = Encoding.UTF8.GetBytes("account-01\naccount-02\naccount-03\n");
        var tokens = Encoding.UTF8.GetBytes("token-a\r\ntoken-b");

        var first = await UploadAsync(SimulatorRequests.Package("accounts.csv", accounts));
        var second = await UploadAsync(SimulatorRequests.Package("tokens.txt", tokens));

        Assert.Equal((0, "", 1L), first);
        Assert.Equal((0, "", 2L), second);
        Assert.Collection(
            Host.Recorder.Received.OrderBy(p => p.UploadId),
            p =>
            {
                Assert.Equal((1L, DevStackTestHost.AccessId, "accounts.csv"), (p.UploadId, p.AccessId, p.FileName));
                Assert.Equal((accounts.LongLength, Sha256Hex(accounts), 3L), (p.Size, p.Sha256Hex, p.RowCount));
                Assert.InRange(p.ReceivedAt, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow);
            },
            p =>
            {
                Assert.Equal((2L, "tokens.txt"), (p.UploadId, p.FileName));
                Assert.Equal((tokens.LongLength, Sha256Hex(tokens), 2L), (p.Size, p.Sha256Hex, p.RowCount));
            });
    }

    [Fact]
    public async Task ConcurrentUploadsGetDistinctIds()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 16).Select(i =>
            UploadAsync(SimulatorRequests.Package($"accounts-{i}.csv", Encoding.UTF8.GetBytes($"account-{i}\n")))));

        Assert.All(results, r => Assert.Equal(0, r.RetCode));
        Assert.Equal(Enumerable.Range(1, 16).Select(i => (long)i), results.Select(r => r.UploadId).Order());
        Assert.Equal(16, Host.Recorder.Received.Count);
        Assert.Equal(16, Host.Recorder.RequestCount);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("Basic " + "MTUwMDAwMDAwMTp3cm9uZy1zZWNyZXQ=")] // 1500000001:wrong-secret
    [InlineData("Basic not-base64!")]
    [InlineData("Basic " + "MTUwMDAwMDAwMQ==")] // no colon
    [InlineData("Bearer MTUwMDAwMDAwMTowMTIzNDU2Nzg5YWJjZGVmMDEyMzQ1Njc4OWFiY2RlZg==")]
    public async Task BadCredentialsAreRejectedWithAuthFailure(string? authorization)
    {
        var result = await UploadAsync(SimulatorRequests.Package("accounts.csv", "a1\n"u8.ToArray()), authorization);

        Assert.Equal((1008003, "auth failure", 0L), result);
        Assert.Empty(Host.Recorder.Received);
    }

    [Fact]
    public async Task UnknownAccessIdIsRejectedAsTencentRejectsAWrongAccessIdOrAccessPoint()
    {
        // 9999999999:0123456789abcdef0123456789abcdef — the right secret of another app does not help.
        var result = await UploadAsync(SimulatorRequests.Package("accounts.csv", "a1\n"u8.ToArray()), "Basic " + "OTk5OTk5OTk5OTowMTIzNDU2Nzg5YWJjZGVmMDEyMzQ1Njc4OWFiY2RlZg==");

        Assert.Equal((1008035, "accessId not correct or domain not correct", 0L), result);
        Assert.Empty(Host.Recorder.Received);
    }

    [Fact]
    public async Task EmptyFileIsRejected()
    {
        var result = await UploadAsync(SimulatorRequests.Package("accounts.csv", []));

        Assert.Equal((1008012, "upload empty file", 0L), result);
        Assert.Empty(Host.Recorder.Received);
    }

    [Theory]
    [InlineData("accounts.xlsx")]
    [InlineData("accounts")]
    [InlineData("accounts.csv.exe")]
    [InlineData("")]
    public async Task FileOutsideTheNameAndExtensionRulesIsRejected(string fileName)
    {
        var result = await UploadAsync(RawMultipart(fileName, "a1\n"));

        Assert.Equal((1008007, "invalid parameter", 0L), result);
        Assert.Empty(Host.Recorder.Received);
    }

    [Fact]
    public async Task FileNameLongerThan100CharactersIsRejected()
    {
        var result = await UploadAsync(SimulatorRequests.Package(new string('a', 97) + ".csv", "a1\n"u8.ToArray()));

        Assert.Equal(1008007, result.RetCode);
    }

    [Theory]
    [InlineData("ACCOUNTS.CSV")]
    [InlineData("Tokens.Txt")]
    public async Task ExtensionIsCaseInsensitiveAndA100CharacterNameIsAccepted(string fileName)
    {
        var longName = new string('a', 96) + ".txt";

        Assert.Equal(0, (await UploadAsync(SimulatorRequests.Package(fileName, "a1\n"u8.ToArray()))).RetCode);
        Assert.Equal(0, (await UploadAsync(SimulatorRequests.Package(longName, "a1\n"u8.ToArray()))).RetCode);
        Assert.Equal([fileName, longName], Host.Recorder.Received.OrderBy(p => p.UploadId).Select(p => p.FileName));
    }

    [Fact]
    public async Task MissingFilePartIsRejected()
    {
        using var form = new MultipartFormDataContent { { new StringContent("/tmp/accounts.csv"), "fileName" } };

        Assert.Equal((1008002, "missing parameter", 0L), await UploadAsync(form));
    }

    [Fact]
    public async Task NonMultipartBodyIsRejected()
    {
        using var json = new StringContent("""{"file":"a1"}""", Encoding.UTF8, "application/json");

        Assert.Equal((1008001, "parameter parse error", 0L), await UploadAsync(json));
    }

    [Fact]
    public async Task Rfc5987FileNameWinsAndExtraFieldsAndPartTypesAreIgnored()
    {
        // Like the PHP sample: odd part Content-Type; like the Python sample: an extra fileName field.
        const string body =
            "--b0undary\r\n"
            + "Content-Disposition: form-data; name=\"fileName\"\r\n\r\n"
            + "/home/me/号码包.csv\r\n"
            + "--b0undary\r\n"
            + "Content-Disposition: form-data; name=\"file\"; filename=\"fallback.csv\"; filename*=UTF-8''%E5%8F%B7%E7%A0%81%E5%8C%85.csv\r\n"
            + "Content-Type: multipart/form-data\r\n\r\n"
            + "a1\na2\r\n"
            + "--b0undary--\r\n";
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        content.Headers.TryAddWithoutValidation("Content-Type", "multipart/form-data; boundary=b0undary");

        var result = await UploadAsync(content);

        Assert.Equal(0, result.RetCode);
        var package = Assert.Single(Host.Recorder.Received);
        Assert.Equal(("号码包.csv", 5L, 2L), (package.FileName, package.Size, package.RowCount));
    }

    [Fact]
    public async Task DirectoriesAreDroppedFromTheFileName()
    {
        Assert.Equal(0, (await UploadAsync(RawMultipart("/home/me/exports/accounts.txt", "a1"))).RetCode);
        Assert.Equal(0, (await UploadAsync(RawMultipart(@"C:\exports\tokens.csv", "a1"))).RetCode);

        Assert.Equal(["accounts.txt", "tokens.csv"], Host.Recorder.Received.OrderBy(p => p.UploadId).Select(p => p.FileName));
    }

    [Fact]
    public async Task ZipWithOneCsvIsAcceptedAndItsRowsCounted()
    {
        var zip = Zip(("accounts.csv", "a1\na2\na3\na4"));

        var result = await UploadAsync(SimulatorRequests.Package("accounts.zip", zip));

        Assert.Equal((0, "", 1L), result);
        var package = Assert.Single(Host.Recorder.Received);
        Assert.Equal((zip.LongLength, Sha256Hex(zip), 4L), (package.Size, package.Sha256Hex, package.RowCount));
    }

    [Theory]
    [InlineData("folder/accounts.csv")]
    [InlineData("accounts.xlsx")]
    public async Task ZipWithAFolderOrAnotherTypeIsRejected(string entryName)
    {
        var result = await UploadAsync(SimulatorRequests.Package("accounts.zip", Zip((entryName, "a1\n"))));

        Assert.Equal((1008011, "upload file error: the .zip must hold exactly one .txt or .csv and no folders", 0L), result);
    }

    [Fact]
    public async Task ZipWithTwoFilesOrNotAZipIsRejected()
    {
        var twoFiles = await UploadAsync(SimulatorRequests.Package("a.zip", Zip(("a.csv", "a1"), ("b.csv", "b1"))));
        var notAZip = await UploadAsync(SimulatorRequests.Package("a.zip", "not a zip"u8.ToArray()));

        Assert.Equal((1008011, "upload file error: the .zip must hold exactly one .txt or .csv and no folders", 0L), twoFiles);
        Assert.Equal((1008011, "upload file error: the file is not a readable .zip", 0L), notAZip);
        Assert.Empty(Host.Recorder.Received);
    }

    [Fact]
    public async Task A100MegabyteFileIsStreamedAndOneByteMoreIsRejected()
    {
        const long limit = 100L * 1024 * 1024;

        // Larger than Kestrel's default 30 MB request limit: the endpoint raised it.
        var accepted = await UploadAsync(SimulatorRequests.Package("big.txt", new AccountStream(limit)));
        var rejected = await UploadAsync(SimulatorRequests.Package("bigger.txt", new AccountStream(limit + 1)));

        Assert.Equal((0, "", 1L), accepted);
        Assert.Equal((1008011, "upload file error: the file is larger than 100 MB", 0L), rejected);
        var package = Assert.Single(Host.Recorder.Received);
        // 8,065,969 full 13-byte lines and a last, unterminated 3-digit account.
        Assert.Equal((limit, Convert.ToHexStringLower(SHA256.HashData(new AccountStream(limit))), 8_065_970L), (package.Size, package.Sha256Hex, package.RowCount));
    }

    private async Task<(int RetCode, string ErrMsg, long UploadId)> UploadAsync(
        HttpContent content, string? authorization = SimulatorRequests.Authorization)
    {
        using var response = await SimulatorRequests.SendAsync(Client, Host.UploadUri, content, authorization);
        return await SimulatorRequests.ReadAnswerAsync(response);
    }

    /// <summary>A multipart body with a plain <c>filename="…"</c>, written by hand (HttpClient would add filename*).</summary>
    private static ByteArrayContent RawMultipart(string fileName, string text) => SimulatorRequests.Raw(
        "multipart/form-data; boundary=xYz",
        "--xYz\r\n" + $"Content-Disposition: form-data; name=\"file\"; filename=\"{fileName}\"\r\n\r\n" + text + "\r\n--xYz--\r\n");

    private static byte[] Zip(params (string Name, string Text)[] entries)
    {
        using var buffer = new MemoryStream();
        using (var archive = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, text) in entries)
            {
                using var writer = new StreamWriter(archive.CreateEntry(name).Open());
                writer.Write(text);
            }
        }

        return buffer.ToArray();
    }

    private static string Sha256Hex(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));
}
