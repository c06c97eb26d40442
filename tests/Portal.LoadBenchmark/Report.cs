namespace Portal.LoadBenchmark;

/// <summary>Printing figures the same way whatever the machine's culture: MB are 2^20 bytes, times in seconds or milliseconds.</summary>
internal static class Report
{
    private const double Megabyte = 1024 * 1024;

    public static void Line(FormattableString text) => Console.WriteLine(FormattableString.Invariant(text));

    public static void Line() => Console.WriteLine();

    public static double Megabytes(long bytes) => bytes / Megabyte;

    /// <summary>Nearest rank: the smallest value with at least <paramref name="fraction"/> of the values at or below it.</summary>
    public static double Percentile(IReadOnlyList<double> sorted, double fraction)
    {
        ArgumentNullException.ThrowIfNull(sorted);
        return sorted.Count == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(fraction * sorted.Count) - 1, 0, sorted.Count - 1)];
    }

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count == 0 ? double.NaN
            : sorted.Count % 2 == 1 ? sorted[sorted.Count / 2]
            : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }

    public static string Verdict(bool met) => met ? "met" : "MISSED";

    /// <summary>CPU time as a share of every core over <paramref name="wall"/>, in percent.</summary>
    public static double CpuShare(TimeSpan cpu, TimeSpan wall) => wall > TimeSpan.Zero ? 100 * cpu / (wall * Environment.ProcessorCount) : double.NaN;

    /// <summary>What else the machine is doing: its load average over the last minute (Linux), which these figures depend on.</summary>
    public static string MachineLoad() => File.Exists("/proc/loadavg")
        ? $"machine load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}"
        : "machine load average unknown";
}
