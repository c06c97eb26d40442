using System.IO.Compression;
using System.Text;
using System.Text.Unicode;

namespace Portal.Packages;

/// <summary>
/// Checks a package against Tencent's rules in one pass over its bytes. Knows nothing of HTTP or storage:
/// a file name and a seekable stream in, a <see cref="ValidationReport"/> out.
/// </summary>
public static class PackageValidator
{
    private static ReadOnlySpan<byte> Utf8ByteOrderMark => [0xEF, 0xBB, 0xBF];

    public static ValidationReport Validate(string fileName, Stream content)
    {
        ArgumentNullException.ThrowIfNull(content);
        var nameProblem = CheckFileName(fileName);
        if (nameProblem is not null)
        {
            return ValidationReport.Rejected(nameProblem);
        }

        if (content.Length > PackageRules.MaxPackageBytes)
        {
            return ValidationReport.Rejected(
                $"'{fileName}' is {content.Length:N0} bytes; Tencent accepts at most {PackageRules.MaxPackageBytes:N0} bytes (100 MB).");
        }

        if (content.Length == 0)
        {
            return ValidationReport.Rejected($"'{fileName}' is empty.");
        }

        var extension = Path.GetExtension(fileName).ToLowerInvariant();
        return extension == ".zip" ? ValidateZip(fileName, content) : ValidateRows(fileName, content, isCsv: extension == ".csv");
    }

    /// <summary>The file-name rules alone, so a request can be refused before its body is read.</summary>
    public static string? CheckFileName(string? fileName)
    {
        if (string.IsNullOrWhiteSpace(fileName))
        {
            return "The file has no name.";
        }

        var length = fileName.EnumerateRunes().Count();
        if (length > PackageRules.MaxFileNameLength)
        {
            return $"The file name is {length} characters long; Tencent accepts 1 to {PackageRules.MaxFileNameLength}.";
        }

        var extension = Path.GetExtension(fileName).ToLowerInvariant();
        if (!PackageRules.AllowedExtensions.Contains(extension))
        {
            return $"'{fileName}' is not a {PackageRules.DescribeAllowedExtensions} file.";
        }

        return null;
    }

    private static ValidationReport ValidateZip(string fileName, Stream content)
    {
        ZipArchive archive;
        try
        {
            archive = new ZipArchive(content, ZipArchiveMode.Read, leaveOpen: true);
        }
        catch (InvalidDataException)
        {
            return ValidationReport.Rejected($"'{fileName}' is not a readable zip archive.");
        }

        using (archive)
        {
            var entries = archive.Entries;
            var folder = entries.FirstOrDefault(e => e.FullName.Contains('/', StringComparison.Ordinal) || e.FullName.Contains('\\', StringComparison.Ordinal));
            if (folder is not null)
            {
                return ValidationReport.Rejected($"'{fileName}' contains a folder ('{folder.FullName}'); Tencent accepts a zip holding a single .txt or .csv file and no folders.");
            }

            if (entries.Count != 1)
            {
                return ValidationReport.Rejected(entries.Count == 0
                    ? $"'{fileName}' is an empty zip archive."
                    : $"'{fileName}' holds {entries.Count} files ({string.Join(", ", entries.Take(5).Select(e => e.FullName))}); Tencent accepts exactly one .txt or .csv file.");
            }

            var entry = entries[0];
            var entryExtension = Path.GetExtension(entry.Name).ToLowerInvariant();
            if (entryExtension is not (".txt" or ".csv"))
            {
                return ValidationReport.Rejected($"'{fileName}' holds '{entry.Name}'; a zip may only hold a .txt or .csv file.");
            }

            try
            {
                using var entryStream = entry.Open();
                return ValidateRows(entry.Name, entryStream, isCsv: entryExtension == ".csv");
            }
            catch (InvalidDataException exception)
            {
                return ValidationReport.Rejected($"'{entry.Name}' inside '{fileName}' cannot be read: {exception.Message}");
            }
        }
    }

    private static ValidationReport ValidateRows(string fileName, Stream content, bool isCsv)
    {
        var problems = new List<PackageProblem>();
        var preview = new List<string>(PackageRules.PreviewSize);
        long problemCount = 0;

        void Report(long line, string message)
        {
            problemCount++;
            if (problems.Count < PackageRules.MaxListedProblems)
            {
                problems.Add(new PackageProblem(line, message));
            }
        }

        var lines = new LineReader(content);
        while (lines.ReadLine())
        {
            if (lines.IsTruncated)
            {
                Report(lines.LineNumber, $"is {lines.LineByteCount:N0} bytes long; an account must be {PackageRules.MinAccountLength} to {PackageRules.MaxAccountLength} characters.");
                continue;
            }

            var bytes = lines.Line;
            if (lines.LineNumber == 1 && bytes.StartsWith(Utf8ByteOrderMark))
            {
                bytes = bytes[Utf8ByteOrderMark.Length..];
            }

            if (!Utf8.IsValid(bytes))
            {
                Report(lines.LineNumber, $"is not valid UTF-8; Tencent requires '{fileName}' to be encoded in UTF-8.");
                continue;
            }

            var account = Encoding.UTF8.GetString(bytes);
            if (isCsv)
            {
                var field = CsvRow.SingleField(account);
                if (field is null)
                {
                    Report(lines.LineNumber, "has more than one column; Tencent accepts a CSV with exactly one column.");
                    continue;
                }

                account = field;
            }

            // Accounts are measured in Unicode code points: "张伟" is 2 characters, so is "😀😀".
            var length = account.EnumerateRunes().Count();
            if (length < PackageRules.MinAccountLength || length > PackageRules.MaxAccountLength)
            {
                Report(lines.LineNumber, length == 0
                    ? "is blank; every row must hold one account."
                    : $"'{Shorten(account)}' is {length} characters long; an account must be {PackageRules.MinAccountLength} to {PackageRules.MaxAccountLength}.");
                continue;
            }

            if (preview.Count < PackageRules.PreviewSize)
            {
                preview.Add(account);
            }
        }

        if (lines.LineNumber == 0)
        {
            return ValidationReport.Rejected($"'{fileName}' holds no accounts.");
        }

        return new ValidationReport(lines.LineNumber, problems, problemCount, preview);
    }

    private static string Shorten(string value) => value.Length <= 40 ? value : string.Concat(value.AsSpan(0, 37), "…");
}
