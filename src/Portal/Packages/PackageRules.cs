namespace Portal.Packages;

/// <summary>Tencent's documented limits for account and token packages (POST /v3/push/package/upload), and the report's own bounds.</summary>
public static class PackageRules
{
    public const int MaxFileNameLength = 100;

    /// <summary>"within 100 MB": 100 × 1024 × 1024 bytes.</summary>
    public const long MaxPackageBytes = 100L * 1024 * 1024;

    public const int MinAccountLength = 2;

    public const int MaxAccountLength = 100;

    /// <summary>A token package holds tokens of exactly this many characters.</summary>
    public const int TokenLength = 36;

    /// <summary>
    /// The most a zip's data file may unpack to. Tencent does not say whether its 100 MB applies to the unpacked text; we read
    /// it so, which also bounds memory and time for a zip exactly as for a plain file.
    /// </summary>
    public const long MaxUnpackedBytes = MaxPackageBytes;

    /// <summary>Unpacked size over packed size above which a zip entry is treated as a decompression bomb…</summary>
    public const int MaxCompressionRatio = 100;

    /// <summary>…once it has unpacked more than this: small entries cannot hurt, whatever their ratio.</summary>
    public const long RatioCheckFloorBytes = 1024 * 1024;

    /// <summary>How many problems a report lists; all are counted and written to the problem report file.</summary>
    public const int MaxListedProblems = 100;

    public const int MaxListedDuplicates = 100;

    /// <summary>How many example line numbers a warning names.</summary>
    public const int MaxWarningExamples = 5;

    public const int PreviewSize = 10;

    public static readonly IReadOnlyList<string> AllowedExtensions = [".zip", ".txt", ".csv"];

    public static string DescribeAllowedExtensions => string.Join(", ", AllowedExtensions);

    /// <summary>A file name's extension as the rules compare it: in lower case, with its dot; "" when there is none.</summary>
    internal static string Extension(string? fileName) => Path.GetExtension(fileName ?? "").ToLowerInvariant();
}
