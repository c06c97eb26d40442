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

        if (!PackageRules.AllowedExtensions.Contains(Extension(fileName)))
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
        using var zip = Extension(request.FileName) == ".zip" ? ZipPackage.Open(content, request.FileName, report) : null;
        if (report.HasFatalProblem)
        {
            return null;
        }

        report.DataFileName = zip?.DataFileName;
        var dataName = zip?.DataFileName ?? request.FileName;
        using var writer = new CleanPackageWriter(outputs.CleanPackagePath, CleanName(request.FileName, ".txt"), CleanName(request.FileName, ".zip"),
            zip is null ? (length, sink) => ReadPrefix(content, length, sink) : (length, sink) => ReadPrefix(zip, length, sink));
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
                duplicate: (account, line, firstLine) =>
                {
                    writer.Diverge();
                    report.Duplicate(line, firstLine, account);
                });
            var scanner = new RowScanner(request, Extension(dataName) == ".csv", text.Converted, report, writer, duplicates);
            scanner.Run(text.Bytes, zip?.DeclaredLength ?? content.Length, cancellationToken);
        }
        catch (UnpackBoundExceededException)
        {
            report.FileProblem(ProblemReason.ZipBomb, ZipPackage.BombMessage(request.FileName, dataName), fatal: true);
        }
        catch (InvalidDataException exception)
        {
            report.FileProblem(ProblemReason.ZipDamaged, $"'{dataName}' in '{request.FileName}' cannot be unpacked: {exception.Message}", fatal: true);
        }

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

    /// <summary>Reads the first bytes of a plain file again, for the clean package, and puts the position back for the scanner.</summary>
    private static void ReadPrefix(Stream content, long length, Action<ReadOnlySpan<byte>> sink)
    {
        var resume = content.Position;
        content.Position = 0;
        Copy(content, length, sink);
        content.Position = resume;
    }

    private static void ReadPrefix(ZipPackage zip, long length, Action<ReadOnlySpan<byte>> sink)
    {
        using var again = zip.OpenData();
        Copy(again, length, sink);
    }

    private static void Copy(Stream source, long length, Action<ReadOnlySpan<byte>> sink)
    {
        var buffer = new byte[1 << 20];
        while (length > 0 && source.Read(buffer, 0, (int)Math.Min(buffer.Length, length)) is > 0 and var read)
        {
            sink(buffer.AsSpan(0, read));
            length -= read;
        }
    }

    private static string Extension(string? fileName) => Path.GetExtension(fileName ?? "").ToLowerInvariant();

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
