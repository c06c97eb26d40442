using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Options;

namespace Portal.Auth;

/// <summary>
/// Keeps a session true to the identity provider and the role mapping, on every request (<see cref="ValidateAsync"/>) and
/// for open pages (<see cref="SessionRevalidator"/>): ends it after <see cref="SessionOptions.AbsoluteLifetime"/>; once its
/// groups are older than <see cref="SessionOptions.ClaimsRefreshInterval"/>, asks the provider for them again, and ends
/// it when that cannot be done; and gives the principal exactly the portal roles <c>Oidc:RoleMapping</c> grants now.
/// </summary>
public sealed class SessionKeeper(
    IOptionsMonitor<OidcOptions> oidc,
    IOptionsMonitor<SessionOptions> sessions,
    ClaimsRefresher refresher,
    SessionStore store,
    TimeProvider clock)
{
    /// <summary>The cookie's event, on every request that carries a session.</summary>
    public async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var (principal, renewed) = await CurrentAsync(context.Principal!, context.Properties, context.HttpContext.RequestAborted);
        if (principal is null)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return;
        }

        context.ReplacePrincipal(principal);
        context.ShouldRenew |= renewed;
    }

    /// <summary>
    /// The principal as the session should have it now (roles mapped afresh; claims and tokens refreshed in
    /// <paramref name="properties"/> when they were due: then <c>Renewed</c>); a null principal when the session has ended.
    /// </summary>
    public async Task<(ClaimsPrincipal? Principal, bool Renewed)> CurrentAsync(ClaimsPrincipal principal, AuthenticationProperties properties, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(principal);
        ArgumentNullException.ThrowIfNull(properties);
        var now = clock.GetUtcNow();
        if (properties.IssuedUtc + sessions.CurrentValue.AbsoluteLifetime <= now)
        {
            await EndAsync(principal, "expired");
            return (null, false);
        }

        var renewed = false;
        if (!properties.Items.TryGetValue(ClaimsRefresher.RefreshedAtItem, out var refreshedAt)
            || !DateTimeOffset.TryParse(refreshedAt, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var at)
            || now - at >= sessions.CurrentValue.ClaimsRefreshInterval)
        {
            if (await refresher.RefreshAsync(principal, properties, cancellationToken) is not { } refreshed)
            {
                await EndAsync(principal, "claims could not be refreshed");
                return (null, false);
            }

            principal = refreshed.Principal;
            properties.StoreTokens(refreshed.Tokens);
            MarkRefreshed(properties, now);
            renewed = true;
        }

        return (WithPortalRoles(principal, oidc.CurrentValue), renewed);
    }

    /// <summary>Notes that the groups were just read from the provider.</summary>
    public static void MarkRefreshed(AuthenticationProperties properties, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(properties);
        properties.Items[ClaimsRefresher.RefreshedAtItem] = at.ToString("O", System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The principal with exactly the portal roles the mapping grants its provider groups.</summary>
    public static ClaimsPrincipal WithPortalRoles(ClaimsPrincipal principal, OidcOptions oidc)
    {
        ArgumentNullException.ThrowIfNull(principal);
        ArgumentNullException.ThrowIfNull(oidc);
        var source = (ClaimsIdentity)principal.Identity!;
        var identity = new ClaimsIdentity(source.Claims.Where(claim => claim.Type != PortalRoles.ClaimType), source.AuthenticationType,
            source.NameClaimType, PortalRoles.ClaimType);
        identity.AddClaims(oidc.MapRoles(oidc.GroupsOf(principal)).Select(role => new Claim(PortalRoles.ClaimType, role)));
        return new ClaimsPrincipal(identity);
    }

    private async Task EndAsync(ClaimsPrincipal principal, string why)
    {
        if (principal.FindFirst(SessionStore.SessionClaim)?.Value is { } id)
        {
            await store.EndAsync(id, why);
        }
    }
}
