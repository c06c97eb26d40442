using System.Globalization;
using Microsoft.Extensions.Localization;
using Portal.Resources;

namespace Portal.Localization;

/// <summary>
/// Numbers, sizes, rates, durations and times as people read them in their own language: "98.3 MB", "4.2 MB/s",
/// "about 2 min", "2 Dec 2026, 16:15". Each reads the culture of the moment, so one instance serves every request.
/// </summary>
public sealed class Formats(IStringLocalizer<CommonText> text)
{
    private static readonly string[] Units = ["KB", "MB", "GB"];

    public static string Count(long count) => count.ToString("N0", CultureInfo.CurrentCulture);

    /// <summary>
    /// Units of 1024 (1 MB = 1,048,576 bytes), as Tencent's limit is counted and as Windows shows files: a package at the
    /// limit reads "100 MB", the limit's own words.
    /// </summary>
    public string Size(long bytes)
    {
        if (bytes < 1024)
        {
            return ExactBytes(bytes);
        }

        double value = bytes;
        var unit = -1;
        while (value >= 1024 && unit < Units.Length - 1)
        {
            value /= 1024;
            unit++;
        }

        return string.Create(CultureInfo.CurrentCulture, $"{value:0.#} {Units[unit]}");
    }

    /// <summary>"104,857,596 bytes".</summary>
    public string ExactBytes(long bytes) => text.Plural("Bytes", bytes);

    public string Rate(double bytesPerSecond) => text["PerSecond", Size((long)bytesPerSecond)];

    /// <summary>A time still to go, rounded up: "less than a second", "5 s", "2 min", "1.5 h".</summary>
    public string Duration(TimeSpan span) => span.TotalSeconds switch
    {
        < 1 => text["LessThanASecond"],
        < 60 => text["Seconds", Math.Ceiling(span.TotalSeconds).ToString("0", CultureInfo.CurrentCulture)],
        < 3600 => text["Minutes", Math.Ceiling(span.TotalMinutes).ToString("0", CultureInfo.CurrentCulture)],
        _ => text["Hours", span.TotalHours.ToString("0.#", CultureInfo.CurrentCulture)],
    };

    /// <summary>A share of a whole, rounded down (a transfer is never shown as 100 % before its last byte).</summary>
    public static string Percent(double fraction) => (Math.Floor(fraction * 100) / 100).ToString("P0", CultureInfo.CurrentCulture);

    /// <summary>A moment in the viewer's time zone, to the minute or the second.</summary>
    public string Time(DateTime utc, ViewerTimeZone zone, bool seconds = false)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var format = text[seconds ? "TimeFormatSeconds" : "TimeFormat"];
        var local = zone.ToLocal(utc).ToString(format, CultureInfo.CurrentCulture);
        return zone.Known ? local : text["InUtc", local];
    }

    /// <summary>The same moment in UTC, as exports and the audit trail keep it: "2026-12-02 08:15:03 UTC".</summary>
    public static string Utc(DateTime utc) => utc.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);
}
