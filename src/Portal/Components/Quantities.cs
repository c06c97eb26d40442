using System.Globalization;

namespace Portal.Components;

/// <summary>Sizes, rates and durations as people read them: "98.3 MB", "4.2 MB/s", "about 2 min".</summary>
public static class Quantities
{
    private static readonly string[] Units = ["bytes", "KB", "MB", "GB"];

    /// <summary>Decimal units (1 MB = 1,000,000 bytes), as Tencent states its 100 MB limit and as browsers show downloads.</summary>
    public static string Size(long bytes)
    {
        double value = bytes;
        var unit = 0;
        while (value >= 1000 && unit < Units.Length - 1)
        {
            value /= 1000;
            unit++;
        }

        return unit == 0
            ? string.Create(CultureInfo.CurrentCulture, $"{bytes:N0} {(bytes == 1 ? "byte" : "bytes")}")
            : string.Create(CultureInfo.CurrentCulture, $"{value:0.#} {Units[unit]}");
    }

    public static string Rate(double bytesPerSecond) => $"{Size((long)bytesPerSecond)}/s";

    public static string Duration(TimeSpan span) => span.TotalSeconds switch
    {
        < 1 => "less than a second",
        < 60 => string.Create(CultureInfo.CurrentCulture, $"{Math.Ceiling(span.TotalSeconds):0} s"),
        < 3600 => string.Create(CultureInfo.CurrentCulture, $"{Math.Ceiling(span.TotalMinutes):0} min"),
        _ => string.Create(CultureInfo.CurrentCulture, $"{span.TotalHours:0.#} h"),
    };

    public static string Percent(double fraction) => string.Create(CultureInfo.CurrentCulture, $"{Math.Floor(fraction * 100):0} %");
}
