using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Unicode;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Portal.DevStack;
using Portal.DevStack.TencentSimulator;

namespace Portal.Tests.DevStack;

/// <summary>
/// Tencent's rules on a package's text (docs/tpns-api.md, "File rules"), over real HTTP on loopback: what Tencent refuses
/// answers 1008011 naming the problem (and its line) and keeps nothing; what it takes is recorded. Run on the simulator
/// in the portal's shape (<see cref="InPortalSimulatorContentTests"/>) and on its own (<see cref="StandaloneSimulatorContentTests"/>).
/// </summary>
public abstract class TencentSimulatorContentTests : IAsyncLifetime
{
    private const long MiB = 1024 * 1024;
    private const string UploadFileError = "upload file error: ";

    private static readonly Lazy<byte[]> Bomb = new(() => ZipBomb.Build(ZipBomb.Copies6700MB));
    private static readonly Lazy<byte[]> ZippedAccounts101MiB = new(() => ZippedAccounts(101 * MiB));

    private static readonly Dictionary<string, (string FileName, byte[] Bytes, string ErrMsg)> RefusedFiles = new()
    {
        ["UTF-16 LE with BOM"] = ("accounts.txt", Encode(new UnicodeEncoding(bigEndian: false, byteOrderMark: true), "account-01\naccount-02\n"),
            "the text is UTF-16 LE (it starts with that byte order mark), not UTF-8"),
        ["UTF-16 BE with BOM"] = ("accounts.csv", Encode(new UnicodeEncoding(bigEndian: true, byteOrderMark: true), "account-01\naccount-02\n"),
            "the text is UTF-16 BE (it starts with that byte order mark), not UTF-8"),
        ["UTF-16 LE without BOM"] = ("accounts.txt", Encode(new UnicodeEncoding(bigEndian: false, byteOrderMark: false), "account-01\naccount-02\n"),
            "line 1 has a NUL byte (UTF-16, UTF-32 or binary data?)"),
        ["UTF-32 LE with BOM"] = ("accounts.txt", Encode(new UTF32Encoding(bigEndian: false, byteOrderMark: true), "account-01\n"),
            "the text is UTF-32 LE (it starts with that byte order mark), not UTF-8"),
        ["UTF-32 BE with BOM"] = ("accounts.txt", Encode(new UTF32Encoding(bigEndian: true, byteOrderMark: true), "account-01\n"),
            "the text is UTF-32 BE (it starts with that byte order mark), not UTF-8"),
        ["PNG image"] = ("accounts.txt", [0x89, .. "PNG\r\n\x1A\n"u8, 0, 0, 0, 0x0D, .. "IHDR"u8, 0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0],
            "line 1 is not valid UTF-8"),
        ["invalid UTF-8 on line 3"] = ("accounts.txt", [.. "account-01\naccount-02\nacc"u8, 0xC3, 0x28, .. "ount\n"u8],
            "line 3 is not valid UTF-8"),
        ["UTF-8 cut short at the end"] = ("accounts.txt", [.. "account-01\n"u8, 0xE5, 0xBC],
            "line 2 is not valid UTF-8"),
        ["NUL byte on line 2"] = ("accounts.txt", "account-01\nacc\0ount-02\n"u8.ToArray(),
            "line 2 has a NUL byte (UTF-16, UTF-32 or binary data?)"),
        ["two-column CSV"] = ("accounts.csv", "account-01\naccount-02,2024-01-01\n"u8.ToArray(),
            "line 2 has 2 columns"),
        ["CSV quote left open"] = ("accounts.csv", "account-01\n\"account-02\n"u8.ToArray(),
            "line 2 has a stray or unclosed quote"),
        ["1-character row"] = ("accounts.txt", "account-01\r\na\r\naccount-03\r\n"u8.ToArray(),
            "line 2 has 1 character (2-100 allowed)"),
        ["101-character row"] = ("accounts.txt", Encoding.UTF8.GetBytes(new string('a', 101)),
            "line 1 has 101 characters (2-100 allowed)"),
        ["zip holding UTF-16"] = ("accounts.zip", Zip("accounts.txt", Encode(new UnicodeEncoding(bigEndian: false, byteOrderMark: true), "account-01\n")),
            "the text is UTF-16 LE (it starts with that byte order mark), not UTF-8"),
        ["zip holding a two-column CSV"] = ("accounts.zip", Zip("accounts.csv", "account-01\naccount-02\n\"account,03\",x\n"u8.ToArray()),
            "line 3 has 2 columns"),
    };

    private static readonly Dictionary<string, (string FileName, byte[] Bytes, long Rows)> AcceptedFiles = new()
    {
        ["UTF-8 without BOM, LF (the portal's clean package)"] = ("accounts.txt", "account-01\naccount-02\n"u8.ToArray(), 2),
        ["UTF-8 with BOM, CRLF"] = ("accounts.csv", [0xEF, 0xBB, 0xBF, .. "account-01\r\naccount-02\r\n"u8], 2),
        ["quoted CSV field holding a comma and a quote"] = ("accounts.csv", "\"acme,inc\"\n\"say \"\"hi\"\"\"\naccount-03\n"u8.ToArray(), 3),
        ["comma in a .txt"] = ("accounts.txt", "acme,inc\n"u8.ToArray(), 1),
        ["100-character row"] = ("accounts.txt", Encoding.UTF8.GetBytes(new string('a', 100) + "\n"), 1),
        ["36-character token"] = ("tokens.txt", "0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d"u8.ToArray(), 1),
        ["2-character CJK row"] = ("accounts.txt", "张伟\n"u8.ToArray(), 1),
        ["emoji row of 2 code points"] = ("accounts.csv", "😀😀\n"u8.ToArray(), 1),
        ["blank lines"] = ("accounts.txt", "account-01\n\naccount-03\n\n"u8.ToArray(), 4),
        ["zip holding a clean CSV"] = ("accounts.zip", Zip("accounts.csv", "account-01\n\"acme,inc\"\n张伟"u8.ToArray()), 3),
    };

    private WebApplication _app = null!;
    private Uri _uploadUri = null!;
    private HttpClient _client = null!;

    public static TheoryData<string> Refused => [.. RefusedFiles.Keys];

    public static TheoryData<string> Accepted => [.. AcceptedFiles.Keys];

    public async Task InitializeAsync()
    {
        (_app, _uploadUri) = await StartAsync();
        _client = new HttpClient();
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private TencentSimulatorRecorder Recorder => _app.Services.GetRequiredService<TencentSimulatorRecorder>();

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task What_Tencent_refuses_is_named_and_not_kept(string file)
    {
        var (fileName, bytes, errMsg) = RefusedFiles[file];

        var answer = await UploadAsync(fileName, bytes);

        Assert.Equal((1008011, UploadFileError + errMsg, 0L), answer);
        Assert.Empty(Recorder.Received);
    }

    [Theory]
    [MemberData(nameof(Accepted))]
    public async Task What_Tencent_takes_is_recorded(string file)
    {
        var (fileName, bytes, rows) = AcceptedFiles[file];

        var answer = await UploadAsync(fileName, bytes);

        Assert.Equal((0, "", 1L), answer);
        var package = Assert.Single(Recorder.Received);
        Assert.Equal((fileName, bytes.LongLength, Convert.ToHexStringLower(SHA256.HashData(bytes)), rows),
            (package.FileName, package.Size, package.Sha256Hex, package.RowCount));
    }

    [Fact]
    public async Task A_zip_bomb_of_6_7_GB_is_refused_after_unpacking_little_of_it()
    {
        var answer = await UploadAsync("accounts.zip", Bomb.Value);

        Assert.Equal((1008011, UploadFileError + "the archive unpacks at a ratio over 100:1", 0L), answer);
        Assert.Empty(Recorder.Received);

        // The ratio stops it one read past the first MiB (the 100 MiB bound would have, later).
        Assert.InRange(Recorder.UnpackedBytes, MiB + 1, MiB + (128 * 1024));
    }

    [Fact]
    public async Task A_zip_unpacking_to_101_MiB_is_refused_after_100_MiB()
    {
        var answer = await UploadAsync("accounts.zip", ZippedAccounts101MiB.Value);

        Assert.Equal((1008011, UploadFileError + "the archive unpacks to more than 100 MB", 0L), answer);
        Assert.Empty(Recorder.Received);

        // Past 100 MiB by one read at most: the last MiB is never unpacked.
        Assert.InRange(Recorder.UnpackedBytes, 100 * MiB + 1, 100 * MiB + (128 * 1024));
    }

    /// <summary>Starts the simulator on loopback; returns its host and its upload address.</summary>
    private protected abstract Task<(WebApplication App, Uri UploadUri)> StartAsync();

    private async Task<(int RetCode, string ErrMsg, long UploadId)> UploadAsync(string fileName, byte[] bytes)
    {
        using var response = await SimulatorRequests.SendAsync(_client, _uploadUri, SimulatorRequests.Package(fileName, bytes));
        return await SimulatorRequests.ReadAnswerAsync(response);
    }

    private static byte[] Encode(Encoding encoding, string text) => [.. encoding.GetPreamble(), .. encoding.GetBytes(text)];

    private static byte[] Zip(string entryName, byte[] bytes)
    {
        using var buffer = new MemoryStream();
        using (var archive = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        using (var entry = archive.CreateEntry(entryName).Open())
        {
            entry.Write(bytes);
        }

        return buffer.ToArray();
    }

    /// <summary>
    /// A .zip of numbered accounts (<c>account-0000000001</c>, …) unpacking to <paramref name="size"/> bytes at a ratio of
    /// a few to one, as a real list would: only the bound on the unpacked size stops it.
    /// </summary>
    private static byte[] ZippedAccounts(long size)
    {
        const int lineLength = 19;
        var lines = new byte[64 * 1024 / lineLength * lineLength];
        using var buffer = new MemoryStream();
        using (var archive = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        using (var entry = archive.CreateEntry("accounts.txt", CompressionLevel.Fastest).Open())
        {
            long number = 0;
            for (var left = size; left > 0; left -= lines.Length)
            {
                for (var offset = 0; offset < lines.Length; offset += lineLength)
                {
                    Utf8.TryWrite(lines.AsSpan(offset), $"account-{++number:D10}\n", out _);
                }

                entry.Write(lines, 0, (int)Math.Min(left, lines.Length));
            }
        }

        return buffer.ToArray();
    }
}

/// <summary>The simulator as the portal hosts it, under <c>/tencent-simulator</c> (<see cref="DevStackTestHost"/>).</summary>
public sealed class InPortalSimulatorContentTests : TencentSimulatorContentTests
{
    private protected override async Task<(WebApplication App, Uri UploadUri)> StartAsync()
    {
        var host = await DevStackTestHost.StartAsync(DevStackTestHost.Settings(identityProvider: false));
        return (host.App, host.UploadUri);
    }
}

/// <summary>The simulator on its own, at the root, set up as src/Portal.TencentSimulator sets it up.</summary>
public sealed class StandaloneSimulatorContentTests : TencentSimulatorContentTests
{
    private protected override async Task<(WebApplication App, Uri UploadUri)> StartAsync()
    {
        var (app, address) = await DevStackTestHost.StartStandaloneSimulatorAsync();
        return (app, new Uri(address, TencentSimulatorSettings.UploadPath));
    }
}
