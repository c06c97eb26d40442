using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.Extensions.Options;

namespace Portal.Auth;

/// <summary>
/// An open page (a Blazor circuit) keeps the principal it started with; every <see cref="SessionOptions.RevalidationInterval"/>
/// this checks that its session is still active and that its roles are still what the mapping grants. If not, the page
/// loses its sign-in and sends the user to sign in again, which brings the session's current state.
/// </summary>
public sealed class SessionRevalidator(
    ILoggerFactory loggerFactory,
    SessionStore store,
    IOptionsMonitor<OidcOptions> oidc,
    IOptionsMonitor<SessionOptions> sessions) : RevalidatingServerAuthenticationStateProvider(loggerFactory)
{
    protected override TimeSpan RevalidationInterval => sessions.CurrentValue.RevalidationInterval;

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(authenticationState);
        var user = authenticationState.User;
        if (user.FindFirst(SessionStore.SessionClaim)?.Value is not { } id || !await store.IsActiveAsync(id))
        {
            return false;
        }

        var held = user.FindAll(PortalRoles.ClaimType).Select(claim => claim.Value).Order();
        var granted = SessionValidation.WithPortalRoles(user, oidc.CurrentValue).FindAll(PortalRoles.ClaimType).Select(claim => claim.Value).Order();
        return held.SequenceEqual(granted);
    }
}
