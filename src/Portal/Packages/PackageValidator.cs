using static System.FormattableString;

namespace Portal.Packages;

/// <summary>
/// Checks a package against Tencent's rules in one streaming pass and writes, on the way, its clean package and its
/// problem report. Knows nothing of HTTP or storage: a name and a seekable stream in, a <see cref="ValidationReport"/> out.
/// </summary>
public static class PackageValidator
{
    /// <summary>One streaming pass over the staged (seekable) file. Never throws for bad input: every problem is in the report.</summary>
    public static ValidationReport Validate(ValidationRequest request, Stream content, ValidationOutputs outputs, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(outputs);
        using var report = new ReportCollector(request, outputs.ProblemReportPath);
        var clean = CheckFile(request.FileName, content, report) ? ValidateContent(request, content, outputs, report, cancellationToken) : null;
        return report.Build(clean);
    }

    /// <summary>Name, type and size; false when the content cannot be read as a package at all.</summary>
    private static bool CheckFile(string fileName, Stream content, ReportCollector report)
    {
        var length = string.IsNullOrEmpty(fileName) ? 0 : fileName.EnumerateRunes().Count();
        if (length is 0 or > PackageRules.MaxFileNameLength)
        {
            // Not fatal: the clean package gets a name that fits.
            report.FileProblem(ProblemReason.FileNameLength, length == 0
                ? "The file has no name; Tencent accepts names of 1 to 100 characters."
                : $"The file name is {length} characters long; Tencent accepts 1 to {PackageRules.MaxFileNameLength}. The clean package has a shorter one.", fatal: false);
        }

        if (!PackageRules.AllowedExtensions.Contains(PackageRules.Extension(fileName)))
        {
            report.FileProblem(ProblemReason.FileType, $"'{fileName}' is not a {PackageRules.DescribeAllowedExtensions} file.", fatal: true);
            return false;
        }

        if (content.Length > PackageRules.MaxPackageBytes)
        {
            report.FileProblem(ProblemReason.FileTooLarge, Invariant($"'{fileName}' is {content.Length:N0} bytes; Tencent accepts at most {PackageRules.MaxPackageBytes:N0} bytes (100 MB)."), fatal: true);
            return false;
        }

        if (content.Length == 0)
        {
            report.FileProblem(ProblemReason.EmptyFile, $"'{fileName}' is empty.", fatal: true);
            return false;
        }

        return true;
    }

    private static CleanPackage? ValidateContent(ValidationRequest request, Stream content, ValidationOutputs outputs, ReportCollector report, CancellationToken cancellationToken)
    {
        using var zip = PackageRules.Extension(request.FileName) == ".zip" ? ZipPackage.Open(content, request.FileName, report) : null;
        if (report.HasFatalProblem)
        {
            return null;
        }

        report.DataFileName = zip?.DataFileName;
        var dataName = zip?.DataFileName ?? request.FileName;
        Func<Stream> openDataAgain = zip is null ? () => new Rewound(content) : zip.OpenData;
        using var writer = new CleanPackageWriter(outputs.CleanPackagePath, CleanName(request.FileName, ".txt"), CleanName(request.FileName, ".zip"),
            (length, sink) => CopyPrefix(openDataAgain, length, sink));
        RowScanner<ValidationRows>? scanner = null;
        try
        {
            using var entry = zip?.OpenData();
            var text = TextSource.Open(entry ?? content);
            report.DetectedEncoding = text.EncodingName;
            if (text.Converted)
            {
                report.OffersUtf8Conversion = true;
                report.FileProblem(ProblemReason.NotUtf8, $"'{dataName}' is encoded in {text.EncodingName}, not UTF-8 as Tencent requires. The clean package is converted to UTF-8.", fatal: false);
            }
            else if (text.HadUtf8ByteOrderMark)
            {
                report.Warning(new PackageWarning(WarningKind.ByteOrderMark, 1, [1], $"'{dataName}' starts with a UTF-8 byte order mark; Tencent accepts it, and the clean package leaves it out."));
            }

            if (report.ProblemCount > 0 || text.Converted || text.HadUtf8ByteOrderMark)
            {
                // The original is not what the clean package will be: write it from the start.
                writer.Diverge();
            }

            using var duplicates = new DuplicateFinder(
                unique: account =>
                {
                    writer.Append(account);
                    report.Unique(account);
                },
                duplicate: (account, line, hash) =>
                {
                    writer.Diverge();
                    report.Duplicate(line, hash, account);
                });
            scanner = new RowScanner<ValidationRows>(request, dataName, text.Converted, new ValidationRows(report, writer, duplicates));
            scanner.Run(text.Bytes, zip?.DeclaredLength ?? content.Length, cancellationToken);
            duplicates.Drain();
        }
        catch (UnpackBoundExceededException)
        {
            report.FileProblem(ProblemReason.ZipBomb, ZipPackage.BombMessage(request.FileName, dataName), fatal: true);
        }
        catch (InvalidDataException exception)
        {
            report.FileProblem(ProblemReason.ZipDamaged, $"'{dataName}' in '{request.FileName}' cannot be unpacked: {exception.Message}", fatal: true);
        }
        finally
        {
            // Also when reading stops early (a zip bomb, a damaged archive): the report counts what was read.
            report.RowCount = scanner?.RowCount ?? 0;
            report.ValidCount = scanner?.ValidCount ?? 0;
        }

        // Only rows read without trouble are listed, so reading them again stops before any trouble.
        report.FirstLinesFound(FirstLineFinder.Find(report.ListedDuplicateHashes, request, dataName, openDataAgain, cancellationToken));
        if (report.ValidCount == 0 && !report.HasFatalProblem)
        {
            report.FileProblem(ProblemReason.NoAccounts, $"'{dataName}' holds no valid {(request.Kind == PackageKind.Token ? "token" : "account")}.", fatal: true);
        }

        if (report.HasFatalProblem)
        {
            writer.Discard();
            return null;
        }

        var clean = writer.Complete();
        if (clean is null)
        {
            // Nothing to clean: the original is sent as it is.
            File.Delete(outputs.CleanPackagePath);
            return null;
        }

        if (clean.Size > PackageRules.MaxPackageBytes)
        {
            report.FileProblem(ProblemReason.CleanPackageTooLarge, Invariant($"The clean package would be {clean.Size:N0} bytes, above Tencent's {PackageRules.MaxPackageBytes:N0}; split the list."), fatal: true);
            File.Delete(outputs.CleanPackagePath);
            return null;
        }

        return clean;
    }

    /// <summary>Reads the first bytes of the data file again, for the clean package.</summary>
    private static void CopyPrefix(Func<Stream> openData, long length, Action<ReadOnlySpan<byte>> sink)
    {
        using var source = openData();
        var buffer = new byte[1 << 20];
        while (length > 0 && source.Read(buffer, 0, (int)Math.Min(buffer.Length, length)) is > 0 and var read)
        {
            sink(buffer.AsSpan(0, read));
            length -= read;
        }
    }

    /// <summary>The validating pass: problems to the report, accounts through the duplicate check to the clean package and the report.</summary>
    private readonly struct ValidationRows(ReportCollector report, CleanPackageWriter writer, DuplicateFinder duplicates) : IRowSink
    {
        public bool Satisfied => false;

        public void Expect(long bytesScanned, long expectedBytes)
        {
            // Size the duplicate table once, for as many accounts as the first buffer's share promises.
            duplicates.Drain();
            duplicates.Reserve(duplicates.DistinctCount * expectedBytes / bytesScanned);
        }

        public void Account(ReadOnlySpan<byte> account, ulong hash, bool allDigits, long line)
        {
            report.Damage.Inspect(account, allDigits, line);
            duplicates.Add(account, hash, line);
        }

        public void Problem(long line, ProblemReason reason, ReadOnlySpan<byte> value, long detail)
        {
            writer.Diverge();
            report.RowProblem(line, reason, value, detail);
        }

        public void Diverge() => writer.Diverge();

        public void NotUtf8(string encodingName, string message)
        {
            report.DetectedEncoding = encodingName;
            report.OffersUtf8Conversion = true;
            report.FileProblem(ProblemReason.NotUtf8, message, fatal: false);
        }

        public void Delimiter(string delimiter, PackageWarning warning)
        {
            report.Delimiter = delimiter;
            report.Warning(warning);
        }
    }

    /// <summary>A seekable stream read again from its start; its position goes back to where the first reading left it.</summary>
    private sealed class Rewound : ForwardReadStream
    {
        private readonly Stream _stream;
        private readonly long _resume;

        public Rewound(Stream stream)
        {
            _stream = stream;
            _resume = stream.Position;
            stream.Position = 0;
        }

        public override int Read(Span<byte> buffer) => _stream.Read(buffer);

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _stream.Position = _resume;
            }

            base.Dispose(disposing);
        }
    }

    /// <summary>"accounts.csv" → "accounts.clean.txt": named after the original, and within Tencent's 100 characters.</summary>
    private static string CleanName(string fileName, string extension)
    {
        var stem = Path.GetFileNameWithoutExtension(Path.GetFileName(fileName ?? ""));
        var suffix = ".clean" + extension;
        var room = PackageRules.MaxFileNameLength - suffix.Length;
        var runes = stem.EnumerateRunes().Take(room).ToArray();
        return (runes.Length == 0 ? "accounts" : string.Concat(runes.Select(rune => rune.ToString()))) + suffix;
    }
}
