using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.Extensions.Options;

namespace Portal.Auth;

/// <summary>
/// An open page (a Blazor circuit) keeps the principal it started with and makes no requests a cookie could be checked
/// on. Every <see cref="SessionOptions.RevalidationInterval"/> this checks its session as a request would
/// (<see cref="SessionKeeper"/>: lifetime, groups refreshed from the provider when due, roles as mapped now) and, when
/// the session has ended or the page's roles are no longer the ones granted, takes the page's sign-in away: the page sends
/// the user to sign in again, which brings the session's current state.
/// </summary>
public sealed class SessionRevalidator(
    ILoggerFactory loggerFactory,
    SessionStore store,
    SessionKeeper keeper,
    IOptionsMonitor<SessionOptions> sessions) : RevalidatingServerAuthenticationStateProvider(loggerFactory)
{
    protected override TimeSpan RevalidationInterval => sessions.CurrentValue.RevalidationInterval;

    protected override Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(authenticationState);
        return IsStillValidAsync(authenticationState.User, cancellationToken);
    }

    /// <summary>The page's principal names an active session, and holds exactly the roles that session grants now.</summary>
    internal async Task<bool> IsStillValidAsync(ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        if (user.FindFirst(SessionStore.SessionClaim)?.Value is not { } id || await store.RetrieveByIdAsync(id) is not { } ticket)
        {
            return false;
        }

        var (current, renewed) = await keeper.CurrentAsync(ticket.Principal, ticket.Properties, cancellationToken);
        if (current is null)
        {
            return false;
        }

        if (renewed)
        {
            await store.RenewByIdAsync(id, new Microsoft.AspNetCore.Authentication.AuthenticationTicket(current, ticket.Properties, ticket.AuthenticationScheme));
        }

        return Roles(user).SequenceEqual(Roles(current));

        static IEnumerable<string> Roles(ClaimsPrincipal principal) => principal.FindAll(PortalRoles.ClaimType).Select(claim => claim.Value).Order();
    }
}
