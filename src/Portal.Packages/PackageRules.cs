using System.Text;

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

    /// <summary>How many columns of a CSV the report offers to choose the accounts from.</summary>
    public const int MaxOfferedColumns = 50;

    public static readonly IReadOnlyList<string> AllowedExtensions = [".zip", ".txt", ".csv"];

    public static string DescribeAllowedExtensions => string.Join(", ", AllowedExtensions);

    /// <summary>
    /// Why a file name cannot be taken as it is, or null: a control character (CR, LF, NUL, ESC…), a direction control that
    /// would make the name read differently on every page and export (U+202E shows "spoof\u202Eexe.txt" as "spooftxt.exe"),
    /// or a folder separator (Tencent would get only the part after it, while the trail kept the whole name). Positions
    /// count characters from 1.
    /// </summary>
    public static string? FileNameProblem(string fileName)
    {
        ArgumentNullException.ThrowIfNull(fileName);
        var position = 0;
        foreach (var rune in fileName.EnumerateRunes())
        {
            position++;
            var problem = rune.Value switch
            {
                '/' or '\\' => $"'{rune}', which separates folders",
                _ when Rune.IsControl(rune) => $"the control character U+{rune.Value:X4}",
                _ when ValueText.IsDirectionControl(rune) => $"the direction control U+{rune.Value:X4}, which changes how the rest of the name reads",
                _ => null,
            };
            if (problem is not null)
            {
                return string.Create(System.Globalization.CultureInfo.InvariantCulture,
                    $"The file name '{ValueText.Visible(fileName)}' holds {problem} at position {position}: rename the file without it and upload it again.");
            }
        }

        return null;
    }

    /// <summary>A file name's extension as the rules compare it: in lower case, with its dot; "" when there is none.</summary>
    internal static string Extension(string? fileName) => Path.GetExtension(fileName ?? "").ToLowerInvariant();
}
