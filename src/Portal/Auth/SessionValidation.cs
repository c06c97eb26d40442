using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Options;

namespace Portal.Auth;

/// <summary>
/// Runs on every request that carries a session: gives the principal the portal roles that <c>Oidc:RoleMapping</c>
/// grants its groups now (so a changed mapping applies at once), and once the groups are older than
/// <see cref="SessionOptions.ClaimsRefreshInterval"/>, asks the identity provider for them again; when it cannot, the
/// session ends and the user signs in again.
/// </summary>
public sealed class SessionValidation(
    IOptionsMonitor<OidcOptions> oidc,
    IOptionsMonitor<SessionOptions> sessions,
    ClaimsRefresher refresher,
    SessionStore store,
    TimeProvider clock)
{
    public async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var principal = context.Principal!;
        var now = clock.GetUtcNow();
        if (context.Properties.IssuedUtc + sessions.CurrentValue.AbsoluteLifetime <= now)
        {
            await EndAsync(context, "expired");
            return;
        }

        if (!context.Properties.Items.TryGetValue(ClaimsRefresher.RefreshedAtItem, out var refreshedAt)
            || !DateTimeOffset.TryParse(refreshedAt, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var at)
            || now - at >= sessions.CurrentValue.ClaimsRefreshInterval)
        {
            if (await refresher.RefreshAsync(principal, context.Properties, context.HttpContext.RequestAborted) is not { } refreshed)
            {
                await EndAsync(context, "claims could not be refreshed");
                return;
            }

            principal = refreshed.Principal;
            context.Properties.StoreTokens(refreshed.Tokens);
            MarkRefreshed(context.Properties, now);
            context.ShouldRenew = true;
        }

        context.ReplacePrincipal(WithPortalRoles(principal, oidc.CurrentValue));
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

    private async Task EndAsync(CookieValidatePrincipalContext context, string why)
    {
        if (context.Principal?.FindFirst(SessionStore.SessionClaim)?.Value is { } id)
        {
            await store.EndAsync(id, why);
        }

        context.RejectPrincipal();
        await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
    }
}
