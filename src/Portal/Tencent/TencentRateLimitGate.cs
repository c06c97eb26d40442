using System.Collections.Concurrent;

namespace Portal.Tencent;

/// <summary>
/// Remembers, per Tencent app, until when the portal must not send to it because Tencent said "request too fast"
/// (retCode 1008028) or HTTP 429. A singleton: every upload of every user goes through the same gate. Refusals in a row
/// double the wait (up to 16 times <see cref="TencentOptions.RateLimitBackoff"/>); a success resets it. Other portals on
/// the same database learn of a pause through <see cref="Uploads.SendJobs.PauseAppAsync"/>.
/// </summary>
public sealed class TencentRateLimitGate(TimeProvider clock)
{
    private const int MaxDoublings = 4;
    private readonly ConcurrentDictionary<string, Backoff> _apps = new(StringComparer.Ordinal);

    internal TimeProvider Clock => clock;

    /// <summary>Until when nothing may be sent to <paramref name="app"/>; null when it may be sent to now.</summary>
    public DateTimeOffset? BlockedUntil(TencentAppOptions app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return _apps.TryGetValue(KeyOf(app), out var backoff) && backoff.Until > clock.GetUtcNow() ? backoff.Until : null;
    }

    /// <summary>Closes the gate after a refusal: for <paramref name="requested"/> (Tencent's Retry-After) or the doubling back-off.</summary>
    internal DateTimeOffset Close(TencentAppOptions app, TimeSpan baseDelay, TimeSpan? requested)
    {
        var now = clock.GetUtcNow();
        var backoff = _apps.AddOrUpdate(
            KeyOf(app),
            _ => new Backoff(now + (requested ?? baseDelay), 1),
            (_, previous) =>
            {
                var strikes = previous.Strikes + 1;
                return new Backoff(now + (requested ?? baseDelay * (1 << Math.Min(strikes - 1, MaxDoublings))), strikes);
            });
        return backoff.Until;
    }

    /// <summary>Tencent took a package from <paramref name="app"/>: the next refusal starts the back-off afresh.</summary>
    internal void Open(TencentAppOptions app) => _apps.TryRemove(KeyOf(app), out _);

    /// <summary>Tencent limits per app and access point.</summary>
    public static string KeyOf(TencentAppOptions app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return app.ResolveBaseUrl() + " " + app.AccessId;
    }

    private sealed record Backoff(DateTimeOffset Until, int Strikes);
}
