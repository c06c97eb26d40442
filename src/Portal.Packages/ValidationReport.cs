using System.Globalization;
using System.Text.Json.Serialization;

namespace Portal.Packages;

/// <summary>
/// The verdict on one package, for the browser (JSON, web defaults) and, through <see cref="Summary"/>, the audit trail.
/// Rows: <c>RowCount = ValidCount + InvalidCount + BlankRowCount</c> (+1 when a header row was skipped);
/// duplicates are valid rows repeating an earlier account, so the clean package holds <c>ValidCount - DuplicateCount</c> accounts.
/// </summary>
public sealed record ValidationReport
{
    public required string FileName { get; init; }

    public required PackageKind Kind { get; init; }

    /// <summary>Tencent would accept the original as it is: no problem at all (duplicates and warnings do not count).</summary>
    public required bool OriginalSendable { get; init; }

    /// <summary>
    /// Valid unique accounts as UTF-8 text, written to <see cref="ValidationOutputs.CleanPackagePath"/>. Null when there is no
    /// valid account, and when the clean text would be the original byte for byte: then the original is sendable as it is.
    /// </summary>
    public required CleanPackage? CleanPackage { get; init; }

    /// <summary>The name of the data file inside a zip; null for a plain file.</summary>
    public string? DataFileName { get; init; }

    /// <summary>"UTF-8", "UTF-8 with BOM", "UTF-16 LE", "UTF-16 BE", "UTF-32 LE", "UTF-32 BE" or "GB18030"; null when the content was not read.</summary>
    public string? DetectedEncoding { get; init; }

    /// <summary>The file is in another encoding than UTF-8: Tencent rejects it as is, and the clean package is its UTF-8 conversion.</summary>
    public bool OffersUtf8Conversion { get; init; }

    /// <summary>";" or "\t" when a CSV looks separated by that instead of commas; null otherwise.</summary>
    public string? Delimiter { get; init; }

    public required long RowCount { get; init; }

    public required long ValidCount { get; init; }

    public required long InvalidCount { get; init; }

    public required IReadOnlyDictionary<ProblemReason, long> InvalidByReason { get; init; }

    public required long DuplicateCount { get; init; }

    public required long BlankRowCount { get; init; }

    /// <summary>Every problem, file-level and row-level; the first <see cref="PackageRules.MaxListedProblems"/> are in <see cref="Problems"/>.</summary>
    public required long ProblemCount { get; init; }

    public required IReadOnlyList<PackageProblem> Problems { get; init; }

    public required IReadOnlyList<PackageWarning> Warnings { get; init; }

    /// <summary>The first <see cref="PackageRules.MaxListedDuplicates"/> duplicate rows.</summary>
    public required IReadOnlyList<DuplicateAccount> Duplicates { get; init; }

    /// <summary>The first <see cref="PackageRules.PreviewSize"/> accounts of the clean package.</summary>
    public required IReadOnlyList<string> Preview { get; init; }

    /// <summary>Row 1 as shown, when it looks like a header (<c>account_id</c>, <c>openid</c>, <c>账号</c>…) and was not declared one: skip it?</summary>
    public string? LikelyHeader { get; init; }

    /// <summary>
    /// A CSV with more than one column (a CRM export): its columns, to choose the accounts' from
    /// (<see cref="ValidationRequest.AccountColumn"/>); empty when every row has one column.
    /// </summary>
    public IReadOnlyList<CsvColumn> Columns { get; init; } = [];

    /// <summary>The column the accounts were taken from; null when the file is read as one column.</summary>
    public int? AccountColumn { get; init; }

    /// <summary>One line for lists and the audit trail.</summary>
    public string Summary => string.Create(CultureInfo.InvariantCulture, $"{Verdict}: {RowCount:N0} rows, {ValidCount:N0} valid, {InvalidCount:N0} invalid, {BlankRowCount:N0} blank, {DuplicateCount:N0} duplicates, {ProblemCount:N0} problems{FirstProblem}; {CleanDescription}");

    private string Verdict => OriginalSendable ? "sendable as is" : "not sendable as is";

    private string FirstProblem => Problems.Count == 0 ? "" : $" (first: {Problems[0]})";

    private string CleanDescription => CleanPackage is { } clean
        ? string.Create(CultureInfo.InvariantCulture, $"clean package {clean.FileName} with {clean.AccountCount:N0} accounts, {clean.Size:N0} bytes, SHA-256 {clean.Sha256}")
        : OriginalSendable ? "the original is its own clean package" : "no clean package";
}

/// <summary>
/// The clean package as written: <c>Sha256</c> is the lower-case hex SHA-256 of the file as it would be sent; <c>Zipped</c>
/// says it is a zip holding one .txt (chosen when that is smaller on the wire).
/// </summary>
public sealed record CleanPackage(string FileName, long Size, string Sha256, long AccountCount, bool Zipped);

/// <summary>
/// One thing wrong with a package. <see cref="LineNumber"/> is 1-based and null for problems of the whole file;
/// <see cref="Value"/> is the offending value for display: shortened, control characters and edge white space made visible.
/// </summary>
public sealed record PackageProblem(long? LineNumber, ProblemReason Reason, string? Value, string Message)
{
    public override string ToString() => LineNumber is { } line ? $"line {line}: {Message}" : Message;
}

/// <summary>Damage a spreadsheet typically does; the rows are still valid accounts, but probably not the intended ones.</summary>
public sealed record PackageWarning(WarningKind Kind, long Count, IReadOnlyList<long> ExampleLines, string Message);

public sealed record DuplicateAccount(string Account, long FirstLine, long DuplicateLine);

/// <summary>One column of a CSV with several: its number (from 1), its name in the header row if there is one, and the value of the first row of data.</summary>
public sealed record CsvColumn(int Number, string? Header, string? Sample);

[JsonConverter(typeof(JsonStringEnumConverter<WarningKind>))]
public enum WarningKind
{
    /// <summary>Values like 1.23457E+15: a spreadsheet turned a long number into scientific notation and lost its digits.</summary>
    ScientificNotation,

    /// <summary>Numeric values shorter than most others: a spreadsheet may have dropped their leading zeros.</summary>
    LostLeadingZeros,

    /// <summary>Values starting with =, +, - or @: spreadsheets read them as formulas (the problem report escapes them).</summary>
    FormulaPrefix,

    /// <summary>A UTF-8 byte order mark: accepted, and left out of the clean package.</summary>
    ByteOrderMark,

    /// <summary>The CSV looks separated by ";" or tabs rather than commas.</summary>
    Delimiter,
}

/// <summary>Why a problem was reported. The first group concerns the whole file, the second single rows.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ProblemReason>))]
public enum ProblemReason
{
    FileNameLength,
    FileType,
    FileTooLarge,
    EmptyFile,
    NoAccounts,
    NotUtf8,
    ZipUnreadable,
    ZipEmpty,
    ZipUnsafePath,
    ZipEncrypted,
    ZipNestedArchive,
    ZipMultipleDataFiles,
    ZipNoDataFile,
    ZipFolder,
    ZipJunk,
    ZipOtherFile,
    ZipBomb,
    ZipDamaged,
    CleanPackageTooLarge,

    HeaderRow,
    Blank,
    SurroundingWhitespace,
    InvalidEncoding,
    MultipleColumns,
    MalformedQuotes,
    ControlCharacter,
    TooShort,
    TooLong,
    WrongTokenLength,

    /// <summary>A value like 1.23457E+15, left out unless <see cref="ValidationRequest.KeepScientificNotation"/>.</summary>
    ScientificNotation,

    /// <summary>A CSV row without the column chosen as <see cref="ValidationRequest.AccountColumn"/>.</summary>
    MissingColumn,
}
