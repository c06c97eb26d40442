namespace Portal.Localization;

/// <summary>
/// The time zone of the person looking at a page, as their browser names it (IANA, e.g. "Asia/Shanghai"). The browser
/// sends it in a cookie (wwwroot/js/time-zone.js); until it has, pages ask it once the circuit is up. UTC when unknown.
/// </summary>
public sealed record ViewerTimeZone(TimeZoneInfo Zone, bool Known)
{
    public const string CookieName = "portal-time-zone";

    public static readonly ViewerTimeZone Unknown = new(TimeZoneInfo.Utc, Known: false);

    /// <summary>The zone named <paramref name="id"/>; <see cref="Unknown"/> when the name is missing or not a zone this machine knows.</summary>
    public static ViewerTimeZone FromId(string? id) =>
        !string.IsNullOrWhiteSpace(id) && id.Length <= 64 && TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone)
            ? new ViewerTimeZone(zone, Known: true)
            : Unknown;

    public DateTime ToLocal(DateTime utc) => TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), Zone);
}
