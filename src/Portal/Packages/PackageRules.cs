namespace Portal.Packages;

/// <summary>Tencent's documented limits for account packages (POST /v3/push/package/upload).</summary>
public static class PackageRules
{
    public const int MaxFileNameLength = 100;

    /// <summary>"within 100 MB": 100 × 1024 × 1024 bytes.</summary>
    public const long MaxPackageBytes = 100L * 1024 * 1024;

    public const int MinAccountLength = 2;

    public const int MaxAccountLength = 100;

    /// <summary>How many problems a report lists; the total is always counted.</summary>
    public const int MaxListedProblems = 100;

    public const int PreviewSize = 10;

    public static readonly IReadOnlyList<string> AllowedExtensions = [".zip", ".txt", ".csv"];

    public static string DescribeAllowedExtensions => string.Join(", ", AllowedExtensions);
}
