using System.Globalization;
using Dapper;
using Microsoft.Extensions.Options;
using Portal.Data;

namespace Portal.Tencent;

/// <summary>
/// Until when an app may not be sent to after Tencent's "request too fast", as pages show it: the later of this portal's
/// own <see cref="TencentRateLimitGate"/> and the pause another portal on the same database recorded in <c>tencent_pauses</c>.
/// </summary>
public sealed class TencentPauses(TencentRateLimitGate gate, PortalDatabase database, IOptions<TencentOptions> options, TimeProvider clock)
{
    /// <summary>The end of the pause of the app named <paramref name="appName"/>; null when it may be sent to now (or is not configured).</summary>
    public async Task<DateTimeOffset?> PausedUntilAsync(string appName, CancellationToken cancellationToken = default)
    {
        if (options.Value.FindApp(appName) is not { } app)
        {
            return null;
        }

        var now = clock.GetUtcNow();
        await using var connection = await database.OpenAsync(cancellationToken);
        var shared = await connection.QuerySingleOrDefaultAsync<string?>(new CommandDefinition(
            "SELECT paused_until FROM tencent_pauses WHERE app_key = @AppKey AND paused_until > @Now",
            new { AppKey = TencentRateLimitGate.KeyOf(app), Now = DbFormat.Timestamp(now.UtcDateTime) },
            cancellationToken: cancellationToken));
        DateTimeOffset? recorded = shared is null
            ? null
            : DateTimeOffset.Parse(shared, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
        var local = gate.BlockedUntil(app);
        return (recorded, local) switch
        {
            (null, null) => null,
            ({ } a, { } b) => a > b ? a : b,
            _ => recorded ?? local,
        };
    }
}
