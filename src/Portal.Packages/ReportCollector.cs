using System.Text;
using static System.FormattableString;

namespace Portal.Packages;

/// <summary>
/// Gathers the report while the rows go by: counts everything, keeps the first problems and duplicates, and writes every
/// problem to the problem report file (CSV with a UTF-8 byte order mark, so spreadsheets read non-ASCII values right).
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

        _problemReport.Write(Invariant($"{line},{ValueText.ForCsv(shown)},{ProblemText.Reason(reason, _request.Kind)}\n"));
    }

    /// <summary>A valid row repeating an earlier account; <c>hash</c> is the account's <see cref="AccountSet.Hash"/>.</summary>
    public void Duplicate(long line, ulong hash, ReadOnlySpan<byte> account)
    {
        DuplicateCount++;
        if (_duplicates.Count < PackageRules.MaxListedDuplicates)
        {
            _duplicates.Add((ValueText.Show(account), hash, line));
        }
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
            Warnings = _warnings.Concat(Damage.Warnings()).ToArray(),
            Duplicates = _duplicates.Select(duplicate => new DuplicateAccount(duplicate.Account, _firstLines[duplicate.Hash], duplicate.Line)).ToArray(),
            Preview = _preview.ToArray(),
            LikelyHeader = LikelyHeader,
            Columns = OfferedColumns(),
            AccountColumn = AccountColumn,
        };
    }

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
