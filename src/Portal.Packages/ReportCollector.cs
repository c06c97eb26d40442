using System.Text;
using static System.FormattableString;

namespace Portal.Packages;

/// <summary>
/// Gathers the report while the rows go by: counts everything, keeps the first problems and duplicates, and writes the
/// full problem report file (CSV with a UTF-8 byte order mark, so spreadsheets read non-ASCII values right): every problem
/// and every duplicate row with its whole value, and at its end the warnings with their example lines.
/// </summary>
internal sealed class ReportCollector : IDisposable
{
    private readonly ValidationRequest _request;
    private readonly StreamWriter _problemReport;
    private readonly List<PackageProblem> _problems = [];
    private readonly List<(string Account, ulong Hash, long Line)> _duplicates = [];
    private readonly List<string> _preview = [];
    private readonly List<PackageWarning> _warnings = [];
    private readonly Dictionary<ProblemReason, long> _invalidByReason = [];
    private IReadOnlyDictionary<ulong, long> _firstLines = new Dictionary<ulong, long>();

    // A row's number and a plain value as CSV text, written without a string of their own: duplicates can be millions.
    private readonly char[] _plainRow = new char[32 + PackageRules.MaxAccountLength * 4];

    public ReportCollector(ValidationRequest request, string problemReportPath)
    {
        _request = request;
        _problemReport = new StreamWriter(problemReportPath, append: false, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), bufferSize: 64 * 1024);
        _problemReport.Write("line,value,reason\n");
    }

    public SpreadsheetDamage Damage { get; } = new();

    /// <summary>A problem that leaves nothing trustworthy to clean: there is no clean package.</summary>
    public bool HasFatalProblem { get; private set; }

    public long RowCount { get; set; }

    public long ValidCount { get; set; }

    public string? DataFileName { get; set; }

    public string? DetectedEncoding { get; set; }

    public bool OffersUtf8Conversion { get; set; }

    public string? Delimiter { get; set; }

    /// <summary>The accounts are one column of a CSV with several: the clean package is that column, never the original.</summary>
    public int? AccountColumn { get; set; }

    public string? LikelyHeader { get; set; }

    public IReadOnlyList<string>? HeaderFields { get; set; }

    public IReadOnlyList<string>? SampleFields { get; set; }

    private long InvalidCount { get; set; }

    private long BlankRowCount { get; set; }

    private long DuplicateCount { get; set; }

    public long ProblemCount { get; private set; }

    public void FileProblem(ProblemReason reason, string message, bool fatal)
    {
        HasFatalProblem |= fatal;
        Add(new PackageProblem(null, reason, null, message));
        _problemReport.Write($",,{ValueText.ForCsv(message)}\n");
    }

    public void Warning(PackageWarning warning) => _warnings.Add(warning);

    /// <summary>
    /// A row that is left out of the clean package (blank, invalid) or changed in it (white space, header).
    /// <c>detail</c> is the length in characters, or the number of columns, where the message names one.
    /// </summary>
    public void RowProblem(long line, ProblemReason reason, ReadOnlySpan<byte> value, long detail = 0)
    {
        switch (reason)
        {
            case ProblemReason.Blank:
                BlankRowCount++;
                break;
            case ProblemReason.SurroundingWhitespace or ProblemReason.HeaderRow:
                break;
            default:
                InvalidCount++;
                _invalidByReason[reason] = _invalidByReason.GetValueOrDefault(reason) + 1;
                break;
        }

        var shown = ValueText.Show(value);
        if (_problems.Count < PackageRules.MaxListedProblems)
        {
            Add(new PackageProblem(line, reason, shown, ProblemText.Row(reason, detail, _request.Kind)));
        }
        else
        {
            ProblemCount++;
        }

        WriteRow(line, value, ProblemText.Reason(reason, _request.Kind));
    }

    /// <summary>A valid row repeating an earlier account; <c>hash</c> is the account's <see cref="AccountSet.Hash"/>.</summary>
    public void Duplicate(long line, ulong hash, ReadOnlySpan<byte> account)
    {
        DuplicateCount++;
        if (_duplicates.Count < PackageRules.MaxListedDuplicates)
        {
            _duplicates.Add((ValueText.Show(account), hash, line));
        }

        WriteRow(line, account, ProblemText.Duplicate);
    }

    /// <summary>The hashes of the listed duplicates, whose first lines only a second pass can tell (see <see cref="AccountSet"/>).</summary>
    public IEnumerable<ulong> ListedDuplicateHashes => _duplicates.Select(duplicate => duplicate.Hash);

    /// <summary>The line each of <see cref="ListedDuplicateHashes"/> first appeared on.</summary>
    public void FirstLinesFound(IReadOnlyDictionary<ulong, long> firstLines) => _firstLines = firstLines;

    /// <summary>An account that goes into the clean package.</summary>
    public void Unique(ReadOnlySpan<byte> account)
    {
        if (_preview.Count < PackageRules.PreviewSize)
        {
            _preview.Add(Encoding.UTF8.GetString(account));
        }
    }

    public ValidationReport Build(CleanPackage? clean)
    {
        var warnings = _warnings.Concat(Damage.Warnings()).ToArray();
        foreach (var warning in warnings)
        {
            var lines = warning.ExampleLines.Count == 0 ? "" : Invariant($" (lines {string.Join(", ", warning.ExampleLines)}{(warning.Count > warning.ExampleLines.Count ? ", …" : "")})");
            _problemReport.Write($",,{ValueText.ForCsv("warning: " + warning.Message + lines)}\n");
        }

        _problemReport.Flush();
        return new ValidationReport
        {
            FileName = _request.FileName,
            Kind = _request.Kind,
            OriginalSendable = ProblemCount == 0 && AccountColumn is null,
            CleanPackage = clean,
            DataFileName = DataFileName,
            DetectedEncoding = DetectedEncoding,
            OffersUtf8Conversion = OffersUtf8Conversion,
            Delimiter = Delimiter,
            RowCount = RowCount,
            ValidCount = ValidCount,
            InvalidCount = InvalidCount,
            InvalidByReason = new Dictionary<ProblemReason, long>(_invalidByReason),
            DuplicateCount = DuplicateCount,
            BlankRowCount = BlankRowCount,
            ProblemCount = ProblemCount,
            Problems = _problems.ToArray(),
            Warnings = warnings,
            Duplicates = _duplicates.Select(duplicate => new DuplicateAccount(duplicate.Account, _firstLines[duplicate.Hash], duplicate.Line)).ToArray(),
            Preview = _preview.ToArray(),
            LikelyHeader = LikelyHeader,
            Columns = OfferedColumns(),
            AccountColumn = AccountColumn,
        };
    }

    /// <summary>
    /// One row of the problem report: its line, its whole value as <see cref="ValueText.Show"/> makes it visible and
    /// <see cref="ValueText.ForCsv"/> makes it safe, and why. A value of printable ASCII that needs neither is copied as it is.
    /// </summary>
    private void WriteRow(long line, ReadOnlySpan<byte> value, string reason)
    {
        line.TryFormat(_plainRow, out var length, provider: System.Globalization.CultureInfo.InvariantCulture);
        _plainRow[length++] = ',';
        if (IsPlain(value) && value.Length <= _plainRow.Length - length)
        {
            length += System.Text.Encoding.ASCII.GetChars(value, _plainRow.AsSpan(length));
            _problemReport.Write(_plainRow, 0, length);
        }
        else
        {
            _problemReport.Write(_plainRow, 0, length);
            _problemReport.Write(ValueText.ForCsv(ValueText.Show(value, int.MaxValue)));
        }

        _problemReport.Write(',');
        _problemReport.Write(reason);
        _problemReport.Write('\n');
    }

    /// <summary>Printable ASCII without a CSV quote or separator, and not read as a formula by a spreadsheet.</summary>
    private static bool IsPlain(ReadOnlySpan<byte> value) =>
        !value.IsEmpty && value[0] is not ((byte)'=' or (byte)'+' or (byte)'-' or (byte)'@')
        && value.IndexOfAnyExceptInRange((byte)0x21, (byte)0x7E) < 0 && value.IndexOfAny((byte)',', (byte)'"') < 0;

    /// <summary>Each column of a CSV with several, named by the header row when there is one, with its first value.</summary>
    private CsvColumn[] OfferedColumns()
    {
        if (SampleFields is null)
        {
            return [];
        }

        var count = Math.Min(PackageRules.MaxOfferedColumns, Math.Max(SampleFields.Count, HeaderFields?.Count ?? 0));
        return Enumerable.Range(0, count)
            .Select(index => new CsvColumn(index + 1, HeaderFields?.ElementAtOrDefault(index), SampleFields.ElementAtOrDefault(index)))
            .ToArray();
    }

    public void Dispose() => _problemReport.Dispose();

    private void Add(PackageProblem problem)
    {
        ProblemCount++;
        if (_problems.Count < PackageRules.MaxListedProblems)
        {
            _problems.Add(problem);
        }
    }
}
