using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Portal.Packages;

namespace Portal.Tests.Packages;

/// <summary>
/// A temporary staging folder: validates packages the tests make and reads back what the validator wrote. Every package
/// other than a zip is validated twice: as a staged file (a seekable stream), and as it would arrive, through a stream that
/// cannot seek and hands its bytes out in small pieces of random size, read again through a "staged file" that holds only
/// what has arrived so far. The two outcomes (report, clean package, problem report) must be identical byte for byte, so
/// every test that validates here also holds the arriving path to the staged one.
/// </summary>
public sealed class PackageWorkspace : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("package-tests-");

    static PackageWorkspace() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    public static Encoding Gb18030 => Encoding.GetEncoding(54936);

    public string CleanPath => Path.Combine(_folder.FullName, "clean");

    public string ProblemReportPath => Path.Combine(_folder.FullName, "problems.csv");

    public ValidationOutputs Outputs => new(CleanPath, ProblemReportPath);

    public Validation Validate(string fileName, string content, PackageKind kind = PackageKind.Account, bool firstRowIsHeader = false) =>
        Validate(fileName, Encoding.UTF8.GetBytes(content), kind, firstRowIsHeader);

    public Validation Validate(string fileName, byte[] content, PackageKind kind = PackageKind.Account, bool firstRowIsHeader = false) =>
        Validate(new ValidationRequest(fileName, kind, firstRowIsHeader), content);

    public Validation Validate(ValidationRequest request, string content) => Validate(request, Encoding.UTF8.GetBytes(content));

    public Validation Validate(ValidationRequest request, byte[] content)
    {
        var fileName = request.FileName;
        Validation staged;
        using (var stream = new MemoryStream(content))
        {
            staged = Read(PackageValidator.Validate(request, stream, Outputs));
        }

        if (Path.GetExtension(fileName).Equals(".zip", StringComparison.OrdinalIgnoreCase))
        {
            // A zip is always staged in full first.
            return staged;
        }

        using var arriving = new ArrivingStream(content, seed: content.Length);
        var hint = content.Length % 2 == 0 ? content.Length : (long?)null;
        var received = Read(PackageValidator.Validate(request, PackageContent.Arriving(arriving, arriving.OpenReceived, hint), Outputs));
        Assert.Equal(JsonSerializer.Serialize(staged.Report, JsonSerializerOptions.Web), JsonSerializer.Serialize(received.Report, JsonSerializerOptions.Web));
        Assert.Equal(staged.CleanBytes, received.CleanBytes);
        Assert.Equal(staged.ProblemReport, received.ProblemReport);
        return received;
    }

    private Validation Read(ValidationReport report) =>
        new(report, File.Exists(CleanPath) ? File.ReadAllBytes(CleanPath) : null, File.ReadAllText(ProblemReportPath));

    public void Dispose() => _folder.Delete(recursive: true);

    /// <summary><c>first</c>, then rows user0000000, user0000001, … (12 bytes each), then <c>last</c>.</summary>
    public static byte[] Rows(int count, string first = "", string last = "") =>
        Encoding.UTF8.GetBytes(first + string.Concat(Enumerable.Range(0, count).Select(i => $"user{i:D7}\n")) + last);

    public static byte[] Zip(params (string Name, byte[] Content)[] entries)
    {
        using var buffer = new MemoryStream();
        using (var archive = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, content) in entries)
            {
                using var entry = archive.CreateEntry(name, CompressionLevel.Optimal).Open();
                entry.Write(content);
            }
        }

        return buffer.ToArray();
    }

    public static byte[] Zip(params (string Name, string Content)[] entries) =>
        Zip(entries.Select(entry => (entry.Name, Encoding.UTF8.GetBytes(entry.Content))).ToArray());

    /// <summary>Sets the "encrypted" flag of every entry, as a password-protected zip has it (the data stays readable: enough to be recognised).</summary>
    public static byte[] MarkEncrypted(byte[] zip)
    {
        var bytes = zip.ToArray();
        ForEachHeader(bytes, 0x04034B50, flagsOffset: 6, header => header[0] |= 1);
        ForEachHeader(bytes, 0x02014B50, flagsOffset: 8, header => header[0] |= 1);
        return bytes;
    }

    /// <summary>Makes the central directory claim a smaller unpacked size than the entry really has, as a crafted bomb does.</summary>
    public static byte[] UnderstateSize(byte[] zip, uint claimed)
    {
        var bytes = zip.ToArray();
        ForEachHeader(bytes, 0x02014B50, flagsOffset: 24, header => BinaryPrimitives.WriteUInt32LittleEndian(header, claimed));
        return bytes;
    }

    private static void ForEachHeader(byte[] bytes, uint signature, int flagsOffset, SpanAction action)
    {
        for (var index = 0; index + 4 <= bytes.Length; index++)
        {
            if (BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(index)) == signature)
            {
                action(bytes.AsSpan(index + flagsOffset));
            }
        }
    }

    private delegate void SpanAction(Span<byte> header);
}

/// <summary>A report with what the validator wrote beside it.</summary>
public sealed record Validation(ValidationReport Report, byte[]? CleanBytes, string ProblemReport)
{
    /// <summary>The clean package's text, unzipped when it is a zip.</summary>
    public string CleanText
    {
        get
        {
            Assert.NotNull(CleanBytes);
            if (Report.CleanPackage is not { Zipped: true })
            {
                return Encoding.UTF8.GetString(CleanBytes);
            }

            using var archive = new ZipArchive(new MemoryStream(CleanBytes), ZipArchiveMode.Read);
            var entry = Assert.Single(archive.Entries);
            using var reader = new StreamReader(entry.Open(), new UTF8Encoding(false, throwOnInvalidBytes: true));
            return reader.ReadToEnd();
        }
    }

    public IReadOnlyList<string> CleanAccounts => CleanText.Split('\n')[..^1];

    /// <summary>The problem report's rows after its header, as (line, value, reason).</summary>
    public IReadOnlyList<string> ProblemReportRows => ProblemReport.TrimStart('\uFEFF').Split('\n', StringSplitOptions.RemoveEmptyEntries)[1..];

    public PackageProblem SingleProblem => Assert.Single(Report.Problems);

    public IEnumerable<ProblemReason> Reasons => Report.Problems.Select(problem => problem.Reason);
}

/// <summary>
/// A package as it arrives over the network: a stream that cannot seek and hands out its bytes in pieces of random size
/// (1 byte to 16 KiB), with <see cref="OpenReceived"/> standing for the staged file, which holds only what has arrived.
/// </summary>
public sealed class ArrivingStream(byte[] content, int seed) : Stream
{
    private readonly MemoryStream _content = new(content, writable: false);
    private readonly Random _random = new(seed);

    /// <summary>Called with the number of bytes handed out so far, after each piece.</summary>
    public Action<long>? Delivered { get; init; }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    /// <summary>The staged file as it stands: the bytes handed out so far.</summary>
    public Stream OpenReceived() => new MemoryStream(content, 0, (int)_content.Position, writable: false);

    public override int Read(byte[] buffer, int offset, int count)
    {
        var read = _content.Read(buffer, offset, Math.Min(count, _random.Next(1, 16 * 1024 + 1)));
        Delivered?.Invoke(_content.Position);
        return read;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _content.Dispose();
        }

        base.Dispose(disposing);
    }
}
