using System.Globalization;
using Portal.Packages;

namespace Portal.LoadBenchmark;

/// <summary>What a run does: the defaults are the targets' conditions; smaller figures make a quick run.</summary>
internal sealed record LoadOptions(int Uploaders, long PackageBytes, TimeSpan After, int Repeats, double AuditRate)
{
    public const string Usage = "Arguments: [--uploaders 1-100] [--megabytes 1-100] [--after SECONDS] [--repeats 1-50] [--rate REQUESTS_PER_SECOND]";

    private const long Megabyte = 1024 * 1024;

    public static LoadOptions Default { get; } = new(8, PackageRules.MaxPackageBytes, TimeSpan.FromSeconds(60), 5, 20);

    public static bool TryParse(string[] args, out LoadOptions options)
    {
        ArgumentNullException.ThrowIfNull(args);
        options = Default;
        if (args.Length % 2 != 0)
        {
            return false;
        }

        for (var i = 0; i < args.Length; i += 2)
        {
            if (!double.TryParse(args[i + 1], NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || value <= 0)
            {
                return false;
            }

            LoadOptions? next = args[i] switch
            {
                "--uploaders" when value <= 100 && value == Math.Floor(value) => options with { Uploaders = (int)value },
                "--megabytes" when value <= 100 => options with { PackageBytes = (long)(value * Megabyte) },
                "--after" => options with { After = TimeSpan.FromSeconds(value) },
                "--repeats" when value <= 50 && value == Math.Floor(value) => options with { Repeats = (int)value },
                "--rate" when value <= 1000 => options with { AuditRate = value },
                _ => null,
            };
            if (next is null)
            {
                return false;
            }

            options = next;
        }

        return true;
    }
}
