using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Portal.Audit;

namespace Portal.Auth;

/// <summary>What the portal does at the turns of an OpenID Connect sign-in and sign-out.</summary>
public static partial class SignInEvents
{
    /// <summary>A genuine sign-in: portal roles from the groups, the time the groups were read, a warning when none came, and the event.</summary>
    public static async Task OnTokenValidatedAsync(TokenValidatedContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var services = context.HttpContext.RequestServices;
        var oidc = services.GetRequiredService<IOptionsMonitor<OidcOptions>>().CurrentValue;
        context.Principal = SessionKeeper.WithPortalRoles(context.Principal!, oidc);
        SessionKeeper.MarkRefreshed(context.Properties!, services.GetRequiredService<TimeProvider>().GetUtcNow());
        if (!context.Principal.HasClaim(claim => claim.Type == oidc.RoleClaimType) && services.GetRequiredService<MissingRoleClaimWarning>().IsFirst())
        {
            LogNoRoleClaim(services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(SignInEvents)), oidc.RoleClaimType,
                string.Join(' ', oidc.Scopes));
        }

        var roles = context.Principal.FindAll(PortalRoles.ClaimType).Select(claim => claim.Value).ToList();
        await services.GetRequiredService<AuditTrail>().AppendAsync(PortalUser.From(context.Principal).Actor,
            new SignedIn(roles, context.HttpContext.Connection.RemoteIpAddress?.ToString()));
    }

    /// <summary>
    /// The provider sent the user back with an error (they cancelled, or it refused): a page that says so and offers to sign
    /// in again, never an error page.
    /// </summary>
    public static Task OnRemoteFailureAsync(RemoteFailureContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var error = context.Request.HasFormContentType ? context.Request.Form["error"].ToString() : context.Request.Query["error"].ToString();
        var description = context.Request.HasFormContentType ? context.Request.Form["error_description"].ToString() : context.Request.Query["error_description"].ToString();
        LogRemoteFailure(context.HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(SignInEvents)),
            context.Failure, error);
        context.Response.Redirect(QueryHelpers.AddQueryString(AuthExtensions.SignInFailedPath, new Dictionary<string, string?>
        {
            ["error"] = Shorten(error),
            ["description"] = Shorten(description),
        }.Where(pair => !string.IsNullOrEmpty(pair.Value))));
        context.HandleResponse();
        return Task.CompletedTask;
    }

    /// <summary>The end-session request names the session (id_token_hint, from the server-side session) and the client, so the provider sends the user back here.</summary>
    public static Task OnSigningOutAsync(RedirectContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.ProtocolMessage.ClientId = context.Options.ClientId;
        return Task.CompletedTask;
    }

    private static string? Shorten(string? value) => value is { Length: > 200 } ? value[..200] : value;

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "A sign-in carried no '{RoleClaimType}' claim, so nobody gets a portal role. Check that Oidc:Scopes ({Scopes}) requests what releases it at the identity provider, and Oidc:RoleClaimType. Logged once per start.")]
    private static partial void LogNoRoleClaim(ILogger logger, string roleClaimType, string scopes);

    [LoggerMessage(Level = LogLevel.Information, Message = "A sign-in came back from the identity provider with an error ({Error})")]
    private static partial void LogRemoteFailure(ILogger logger, Exception? exception, string error);
}

/// <summary>Whether this running portal has already warned that a sign-in carried no role claim: once per start, not per process.</summary>
public sealed class MissingRoleClaimWarning
{
    private int _given;

    public bool IsFirst() => Interlocked.Exchange(ref _given, 1) == 0;
}
