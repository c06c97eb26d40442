using System.IO.Compression;
using System.IO.Hashing;

namespace Portal.Packages;

/// <summary>
/// A .zip package: checks its entries against Tencent's rule (a single .txt or .csv, no folders) and opens the data file
/// with a bound on what it may unpack to. Only the central directory is read here; nothing is extracted to disk.
/// </summary>
internal sealed class ZipPackage : IDisposable
{
    private static readonly string[] ArchiveExtensions = [".zip", ".rar", ".7z", ".gz", ".tgz", ".tar", ".bz2", ".xz", ".zst", ".jar"];

    private readonly ZipArchive _archive;
    private readonly ZipArchiveEntry _data;

    private ZipPackage(ZipArchive archive, ZipArchiveEntry data)
    {
        _archive = archive;
        _data = data;
    }

    public string DataFileName => _data.FullName;

    public string DataExtension => Path.GetExtension(_data.Name).ToLowerInvariant();

    /// <summary>The data file's declared unpacked size (a hint only: <see cref="OpenData"/> enforces the bound on what is really read).</summary>
    public long DeclaredLength => _data.Length;

    /// <summary>The package, or null when its structure leaves nothing that can safely be read (the problems are reported).</summary>
    public static ZipPackage? Open(Stream content, string fileName, ReportCollector report)
    {
        ZipArchive archive;
        try
        {
            archive = new ZipArchive(content, ZipArchiveMode.Read, leaveOpen: true);
        }
        catch (InvalidDataException)
        {
            report.FileProblem(ProblemReason.ZipUnreadable, $"'{fileName}' is not a readable zip archive.", fatal: true);
            return null;
        }

        var data = Inspect(archive, fileName, report);
        if (data is null)
        {
            archive.Dispose();
            return null;
        }

        return new ZipPackage(archive, data);
    }

    public Stream OpenData() => new CheckedEntryStream(_data.Open(), UnpackBound(_data), _data.Crc32);

    public void Dispose() => _archive.Dispose();

    private static long UnpackBound(ZipArchiveEntry entry) =>
        Math.Min(PackageRules.MaxUnpackedBytes, Math.Max(PackageRules.RatioCheckFloorBytes, entry.CompressedLength * PackageRules.MaxCompressionRatio));

    private static ZipArchiveEntry? Inspect(ZipArchive archive, string fileName, ReportCollector report)
    {
        List<string> folders = [], junk = [], unsafePaths = [], nested = [], others = [];
        List<ZipArchiveEntry> data = [];
        var encrypted = new List<string>();
        foreach (var entry in archive.Entries)
        {
            var name = entry.FullName;
            var isFolder = name.EndsWith('/') || name.EndsWith('\\');
            if (IsJunk(name))
            {
                junk.Add(name);
            }
            else if (IsUnsafe(name))
            {
                unsafePaths.Add(name);
            }
            else if (isFolder || name.Contains('/', StringComparison.Ordinal) || name.Contains('\\', StringComparison.Ordinal))
            {
                folders.Add(name);
            }

            if (isFolder || IsJunk(name))
            {
                continue;
            }

            if (entry.IsEncrypted)
            {
                encrypted.Add(name);
            }

            var extension = Path.GetExtension(name).ToLowerInvariant();
            if (extension is ".txt" or ".csv")
            {
                data.Add(entry);
            }
            else if (ArchiveExtensions.Contains(extension))
            {
                nested.Add(name);
            }
            else
            {
                others.Add(name);
            }
        }

        var fatal = false;
        void Report(ProblemReason reason, List<string> names, bool isFatal, Func<string, string> message)
        {
            if (names.Count > 0)
            {
                report.FileProblem(reason, message(Quote(names)), isFatal);
                fatal |= isFatal;
            }
        }

        if (data.Count + nested.Count + others.Count + junk.Count == 0)
        {
            report.FileProblem(ProblemReason.ZipEmpty, $"'{fileName}' is an empty zip archive: it holds no file.", fatal: true);
            return null;
        }

        Report(ProblemReason.ZipUnsafePath, unsafePaths, true, names => $"'{fileName}' holds {names}, whose path points outside the archive; it is refused.");
        Report(ProblemReason.ZipEncrypted, encrypted, true, names => $"'{fileName}' holds {names} encrypted with a password; Tencent cannot read it. Zip the file again without a password.");
        Report(ProblemReason.ZipNestedArchive, nested, true, names => $"'{fileName}' holds another archive ({names}); Tencent accepts a zip holding a single .txt or .csv file. Unpack the inner archive first.");
        Report(ProblemReason.ZipMultipleDataFiles, data.Count > 1 ? data.ConvertAll(e => e.FullName) : [], true, names => $"'{fileName}' holds {data.Count} data files ({names}); Tencent accepts exactly one .txt or .csv file. Upload them one by one.");
        if (data.Count == 0 && !fatal)
        {
            report.FileProblem(ProblemReason.ZipNoDataFile, $"'{fileName}' holds no .txt or .csv file{(others.Count > 0 ? $" (only {Quote(others)})" : "")}.", fatal: true);
            return null;
        }

        Report(ProblemReason.ZipFolder, folders, false, names => $"'{fileName}' holds folders or paths ({names}); Tencent accepts a zip holding a single .txt or .csv file and no folders. The clean package has none.");
        Report(ProblemReason.ZipJunk, junk, false, names => $"'{fileName}' holds files the operating system added when zipping ({names}); not your doing, but Tencent rejects them. The clean package leaves them out.");
        Report(ProblemReason.ZipOtherFile, others, false, names => $"'{fileName}' also holds {names}; Tencent accepts a zip holding only a single .txt or .csv file. The clean package leaves it out.");
        if (fatal)
        {
            return null;
        }

        var dataFile = data[0];
        if (dataFile.Length > UnpackBound(dataFile))
        {
            report.FileProblem(ProblemReason.ZipBomb, BombMessage(fileName, dataFile.FullName), fatal: true);
            return null;
        }

        return dataFile;
    }

    public static string BombMessage(string fileName, string dataFileName) =>
        $"'{dataFileName}' in '{fileName}' unpacks to more than {PackageRules.MaxUnpackedBytes:N0} bytes (100 MB) or more than {PackageRules.MaxCompressionRatio} times its packed size; it is refused as a possible zip bomb, and reading stopped there.";

    private static string Quote(List<string> names) =>
        string.Join(", ", names.Take(5).Select(name => $"'{name}'")) + (names.Count > 5 ? $" and {names.Count - 5} more" : "");

    /// <summary>What macOS (<c>__MACOSX/</c>, <c>.DS_Store</c>, <c>._name</c>) and Windows (<c>Thumbs.db</c>, <c>desktop.ini</c>) add to archives.</summary>
    private static bool IsJunk(string name)
    {
        var segments = name.Split('/', '\\', StringSplitOptions.RemoveEmptyEntries);
        return segments.Length > 0 && (segments[0] == "__MACOSX" || segments[^1] is ".DS_Store" || segments[^1].StartsWith("._", StringComparison.Ordinal)
            || segments[^1].Equals("Thumbs.db", StringComparison.OrdinalIgnoreCase) || segments[^1].Equals("desktop.ini", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Absolute paths, drive letters and <c>..</c> segments: names that would escape the folder they are unpacked in.</summary>
    private static bool IsUnsafe(string name) =>
        name.StartsWith('/') || name.StartsWith('\\') || (name.Length > 1 && name[1] == ':')
        || name.Split('/', '\\').Any(segment => segment == "..");
}

/// <summary>Thrown by <see cref="CheckedEntryStream"/> when an entry unpacks past its bound.</summary>
internal sealed class UnpackBoundExceededException() : Exception("The zip entry unpacks past its bound.");

/// <summary>
/// Reads a zip entry up to a bound and stops there, and checks its CRC-32 at the end. .NET itself stops at the size the
/// archive declares, so an archive that understates it would otherwise be read short without a word.
/// </summary>
internal sealed class CheckedEntryStream(Stream inner, long bound, uint expectedCrc) : ForwardReadStream
{
    private readonly Crc32 _crc = new();
    private long _read;

    public override int Read(Span<byte> buffer)
    {
        // Ask for one byte more than the bound allows, so reaching past it is seen without reading further.
        var allowed = (int)Math.Min(buffer.Length, bound - _read + 1);
        var read = inner.Read(buffer[..allowed]);
        _read += read;
        if (_read > bound)
        {
            throw new UnpackBoundExceededException();
        }

        _crc.Append(buffer[..read]);
        return read == 0 && buffer.Length > 0 && _crc.GetCurrentHashAsUInt32() != expectedCrc
            ? throw new InvalidDataException("its content does not match the checksum the archive records (the archive is damaged or crafted)")
            : read;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
