using static System.FormattableString;

namespace Portal.Packages;

/// <summary>
/// Checks a package against Tencent's rules in one streaming pass and writes, on the way, its clean package and its
/// problem report; only a report that lists duplicates takes a second, partial pass (see <see cref="FirstLineFinder"/>).
/// Knows nothing of HTTP or storage: a name and bytes in (see <see cref="PackageContent"/>), a <see cref="ValidationReport"/> out.
/// </summary>
public static class PackageValidator
{
    /// <summary>Validates a file on disk.</summary>
    public static ValidationReport Validate(ValidationRequest request, string path, ValidationOutputs outputs, CancellationToken cancellationToken = default)
    {
        // Unbuffered: the scanner reads a MiB at a time, and a buffer in between would only copy every byte once more.
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0);
        return Validate(request, PackageContent.Seekable(file), outputs, progress: null, cancellationToken);
    }

    /// <summary>Validates a seekable stream from its start (see <see cref="PackageContent.Seekable"/>).</summary>
    public static ValidationReport Validate(ValidationRequest request, Stream content, ValidationOutputs outputs, CancellationToken cancellationToken = default) =>
        Validate(request, PackageContent.Seekable(content), outputs, progress: null, cancellationToken);

    /// <summary>
    /// Validates a package, reading its content once as it comes. Never throws for bad input: every problem is in the
    /// report. <paramref name="progress"/> hears, on this thread and in order, how far the content has been read.
    /// Cancellation is seen between reads, at least every MiB, and throws <see cref="OperationCanceledException"/>; a read
    /// that waits for bytes is the content stream's own to end (a receiver ends it when its request is aborted). Whatever
    /// the exception, it leaves neither clean package nor problem report behind.
    /// </summary>
    /// <exception cref="ArgumentException">A .zip package that is not <see cref="PackageContent.Seekable"/>.</exception>
    public static ValidationReport Validate(ValidationRequest request, PackageContent content, ValidationOutputs outputs, IProgress<ValidationProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(outputs);
        if (IsZip(request.FileName) && content.Length is null)
        {
            throw new ArgumentException("A .zip package is read from its end first: stage it in full and pass it as PackageContent.Seekable.", nameof(content));
        }

        try
        {
            try
            {
                using var report = new ReportCollector(request, outputs.ProblemReportPath);
                var clean = CheckName(request.FileName, report) && (content.Length is not { } length || CheckSize(request.FileName, length, report))
                    ? ValidateContent(request, content, outputs, report, progress, cancellationToken)
                    : null;
                return report.Build(clean);
            }
            catch (PackageTooLargeException tooLarge)
            {
                // Only a stream that cannot tell its length gets here, once it has run past the limit. Whatever was found in
                // the rows so far does not count: the verdict is the size alone, as for a file whose length is known.
                var size = tooLarge.BytesRead + CountRest(content.Stream, cancellationToken);
                using var report = new ReportCollector(request, outputs.ProblemReportPath);
                CheckName(request.FileName, report);
                CheckSize(request.FileName, size, report);
                return report.Build(null);
            }
        }
        catch
        {
            // Cancelled or failed: nothing is left that could pass for this validation's outcome.
            File.Delete(outputs.CleanPackagePath);
            File.Delete(outputs.ProblemReportPath);
            throw;
        }
    }

    /// <summary>Name and type; false when the content cannot be read as a package at all.</summary>
    private static bool CheckName(string fileName, ReportCollector report)
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

        return true;
    }

    /// <summary>False when the package is too large or empty.</summary>
    private static bool CheckSize(string fileName, long size, ReportCollector report)
    {
        if (size > PackageRules.MaxPackageBytes)
        {
            report.FileProblem(ProblemReason.FileTooLarge, Invariant($"'{fileName}' is {size:N0} bytes; Tencent accepts at most {PackageRules.MaxPackageBytes:N0} bytes (100 MB)."), fatal: true);
            return false;
        }

        if (size == 0)
        {
            report.FileProblem(ProblemReason.EmptyFile, $"'{fileName}' is empty.", fatal: true);
            return false;
        }

        return true;
    }

    private static CleanPackage? ValidateContent(ValidationRequest request, PackageContent content, ValidationOutputs outputs, ReportCollector report, IProgress<ValidationProgress>? progress, CancellationToken cancellationToken)
    {
        using var zip = IsZip(request.FileName) ? ZipPackage.Open(content.Stream, request.FileName, report) : null;
        if (report.HasFatalProblem)
        {
            return null;
        }

        report.DataFileName = zip?.DataFileName;
        var dataName = zip?.DataFileName ?? request.FileName;
        Func<Stream> openDataAgain = zip is null ? content.OpenAgain : zip.OpenData;
        using var writer = new CleanPackageWriter(outputs.CleanPackagePath, CleanName(request.FileName, ".txt"), CleanName(request.FileName, ".zip"),
            (length, sink) => CopyPrefix(openDataAgain, length, sink, cancellationToken));
        RowScanner<ValidationRows>? scanner = null;
        try
        {
            using var entry = zip?.OpenData();
            var expectedBytes = zip?.DeclaredLength ?? content.ExpectedLength;

            // A zip's data file is bounded as it unpacks (see ZipPackage); a plain file here, by the size limit.
            var raw = new ContentMeter(entry ?? content.Stream, entry is null ? PackageRules.MaxPackageBytes : long.MaxValue, expectedBytes, progress);
            var text = TextSource.Open(raw);
            if (zip is null && !CheckSize(request.FileName, raw.BytesRead, report))
            {
                // A stream that arrives tells whether it is empty only now; a longer one is stopped by the meter.
                return null;
            }

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

            report.AccountColumn = PackageRules.Extension(dataName) == ".csv" ? request.AccountColumn : null;
            if (report.ProblemCount > 0 || text.Converted || text.HadUtf8ByteOrderMark || report.AccountColumn is not null)
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
            scanner.Run(text.Bytes, Math.Min(expectedBytes ?? 0, PackageRules.MaxPackageBytes), cancellationToken);
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
            (report.LikelyHeader, report.HeaderFields, report.SampleFields) = (scanner?.LikelyHeader, scanner?.HeaderFields, scanner?.SampleFields);
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
    private static void CopyPrefix(Func<Stream> openData, long length, Action<ReadOnlySpan<byte>> sink, CancellationToken cancellationToken)
    {
        using var source = openData();
        var buffer = new byte[1 << 20];
        while (length > 0 && source.Read(buffer, 0, (int)Math.Min(buffer.Length, length)) is > 0 and var read)
        {
            cancellationToken.ThrowIfCancellationRequested();
            sink(buffer.AsSpan(0, read));
            length -= read;
        }

        if (length > 0)
        {
            // The prefix was read once already: a shorter original would leave the clean package short without a word.
            throw new InvalidOperationException("The package read again is shorter than what was validated.");
        }
    }

    /// <summary>Reads a stream to its end, counting the bytes.</summary>
    private static long CountRest(Stream stream, CancellationToken cancellationToken)
    {
        var buffer = new byte[1 << 20];
        long count = 0;
        while (stream.Read(buffer) is > 0 and var read)
        {
            cancellationToken.ThrowIfCancellationRequested();
            count += read;
        }

        return count;
    }

    private static bool IsZip(string? fileName) => PackageRules.Extension(fileName) == ".zip";

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
