using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Portal.DevStack.IdentityProvider;

/// <summary>
/// The passthrough authorization and end-session endpoints, and the server-rendered sign-in page.
/// Token, discovery and JWKS requests are answered by OpenIddict itself.
/// </summary>
internal sealed class DevIdentityProviderEndpoints(DevIdentityProviderSettings settings, DemoUsers users, IAntiforgery antiforgery, ILogger<DevIdentityProviderEndpoints> logger)
{
    private const string UnknownUserOrWrongPassword = "Unknown user or wrong password";
    private const int MaxLoggedUserNameLength = 64;
    private static readonly string[] AllDestinations = [Destinations.AccessToken, Destinations.IdentityToken];

    public async Task<IResult> AuthorizeAsync(HttpContext context)
    {
        var request = context.GetOpenIddictServerRequest()
            ?? throw new InvalidOperationException("The OpenID Connect request cannot be retrieved.");

        var cookie = await context.AuthenticateAsync(DevIdentityProviderSettings.CookieScheme);
        var user = cookie.Succeeded ? users.FindBySubject(cookie.Principal?.FindFirst(Claims.Subject)?.Value) : null;

        if (user is null)
        {
            if (request.HasPromptValue(PromptValues.None))
            {
                return Results.Forbid(
                    new AuthenticationProperties(new Dictionary<string, string?>
                    {
                        [OpenIddictServerAspNetCoreConstants.Properties.Error] = Errors.LoginRequired,
                        [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = "The user is not signed in.",
                    }),
                    [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
            }

            // Rebuild the request from its parameters, so that a POSTed authorization request survives the round trip.
            var parameters = request.GetParameters()
                .Select(p => KeyValuePair.Create(p.Key, (string?)p.Value))
                .Where(p => p.Value is not null);
            var returnUrl = context.Request.PathBase + context.Request.Path + QueryString.Create(parameters);
            return Results.Redirect(
                context.Request.PathBase + DevIdentityProviderSettings.LoginPath + QueryString.Create("returnUrl", returnUrl));
        }

        logger.AuthorizationGranted(request.ClientId, user.Subject);
        return Results.SignIn(Principal(user, request.GetScopes()), properties: null, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    /// <summary>
    /// The token endpoint for codes and refresh tokens: OpenIddict has checked the grant; the new tokens are made from the
    /// user as they are now, so a group removed since sign-in is gone from them, and a user removed gets none. A demo
    /// service account's client credentials get an access token for the portal API.
    /// </summary>
    public async Task<IResult> ExchangeAsync(HttpContext context)
    {
        var request = context.GetOpenIddictServerRequest()
            ?? throw new InvalidOperationException("The OpenID Connect request cannot be retrieved.");
        if (request.IsClientCredentialsGrantType())
        {
            // OpenIddict has checked the client's secret.
            var client = settings.Client.ServiceClients.First(candidate => candidate.ClientId == request.ClientId);
            return Results.SignIn(ServicePrincipal(client), properties: null, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        }

        var granted = await context.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        var user = users.FindBySubject(granted.Principal?.GetClaim(Claims.Subject));
        if (!granted.Succeeded || user is null || !(request.IsAuthorizationCodeGrantType() || request.IsRefreshTokenGrantType()))
        {
            return Results.Forbid(
                new AuthenticationProperties(new Dictionary<string, string?>
                {
                    [OpenIddictServerAspNetCoreConstants.Properties.Error] = Errors.InvalidGrant,
                    [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = "The user or the grant is no longer valid.",
                }),
                [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
        }

        return Results.SignIn(Principal(user, granted.Principal!.GetScopes()), properties: null, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    /// <summary>Who the user is now, for the scopes granted: every claim goes to the id_token (and the access token), whatever scopes were asked for; the portal relies on them.</summary>
    private static ClaimsPrincipal Principal(DemoUser user, IEnumerable<string> scopes)
    {
        var identity = new ClaimsIdentity(
            authenticationType: DevIdentityProviderSettings.CookieScheme,
            nameType: Claims.Name,
            roleType: Claims.Role);
        identity.SetClaim(Claims.Subject, user.Subject)
            .SetClaim(Claims.Name, user.Name)
            .SetClaim(Claims.Email, user.Email)
            .SetClaim(Claims.PreferredUsername, user.UserName)
            .SetClaims(DevIdentityProviderSettings.GroupsClaim, [.. user.Groups]);
        identity.SetScopes(scopes);
        identity.SetDestinations(static _ => AllDestinations);
        return new ClaimsPrincipal(identity);
    }

    /// <summary>A service account as its access token names it, for the portal API (audience <see cref="DevIdentityProviderSettings.ApiAudience"/>).</summary>
    private static ClaimsPrincipal ServicePrincipal(DevServiceClient client)
    {
        var identity = new ClaimsIdentity(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme, Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Subject, client.ClientId)
            .SetClaim(Claims.Name, client.DisplayName)
            .SetClaims(DevIdentityProviderSettings.RolesClaim, [.. client.Roles]);
        identity.SetResources(DevIdentityProviderSettings.ApiAudience);
        identity.SetDestinations(static _ => [Destinations.AccessToken]);
        return new ClaimsPrincipal(identity);
    }

    public async Task<IResult> EndSessionAsync(HttpContext context)
    {
        await context.SignOutAsync(DevIdentityProviderSettings.CookieScheme);
        logger.SignedOut();

        // OpenIddict redirects to the validated post_logout_redirect_uri, or to RedirectUri when none was given.
        return Results.SignOut(
            new AuthenticationProperties { RedirectUri = context.Request.PathBase + "/" },
            [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
    }

    public IResult ShowLogin(HttpContext context)
    {
        var returnUrl = context.Request.Query["returnUrl"].ToString();
        return LoginPage(context, returnUrl, userName: string.Empty, error: null, StatusCodes.Status200OK);
    }

    public async Task<IResult> SubmitLoginAsync(HttpContext context)
    {
        if (!context.Request.HasFormContentType)
        {
            return LoginPage(context, string.Empty, string.Empty, "The sign-in form was not posted as a form.", StatusCodes.Status400BadRequest);
        }

        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var returnUrl = form["returnUrl"].ToString();
        var userName = form["username"].ToString().Trim();
        var password = form["password"].ToString();

        try
        {
            await antiforgery.ValidateRequestAsync(context);
        }
        catch (AntiforgeryValidationException exception)
        {
            logger.AntiforgeryRejected(exception);
            return LoginPage(context, returnUrl, userName, "The form has expired. Please sign in again.", StatusCodes.Status400BadRequest);
        }

        var user = users.FindByUserName(userName);
        if (user is null || !PasswordMatches(password))
        {
            logger.SignInRejected(userName.Length > MaxLoggedUserNameLength ? userName[..MaxLoggedUserNameLength] : userName);
            return LoginPage(context, returnUrl, userName, UnknownUserOrWrongPassword, StatusCodes.Status200OK);
        }

        var identity = new ClaimsIdentity(
            [new Claim(Claims.Subject, user.Subject), new Claim(Claims.Name, user.Name)],
            DevIdentityProviderSettings.CookieScheme,
            Claims.Name,
            Claims.Role);
        await context.SignInAsync(DevIdentityProviderSettings.CookieScheme, new ClaimsPrincipal(identity));
        logger.UserSignedIn(user.UserName);

        return Results.Redirect(IsLocalUrl(returnUrl) ? returnUrl : context.Request.PathBase + "/");
    }

    private IResult LoginPage(HttpContext context, string returnUrl, string userName, string? error, int statusCode)
    {
        var tokens = antiforgery.GetAndStoreTokens(context);
        context.Response.Headers.CacheControl = "no-store";
        var html = LoginPageHtml.Render(context.Request.PathBase, tokens, users, returnUrl, userName, error);
        return Results.Content(html, "text/html; charset=utf-8", Encoding.UTF8, statusCode);
    }

    private static bool PasswordMatches(string password) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(password), Encoding.UTF8.GetBytes(DemoUsers.Password));

    /// <summary>Same rule as ASP.NET Core's <c>IUrlHelper.IsLocalUrl</c> for rooted paths: "/x" yes, "//x" and "/\x" no.</summary>
    internal static bool IsLocalUrl(string? url)
    {
        if (string.IsNullOrEmpty(url) || url[0] != '/')
        {
            return false;
        }

        if (url.Length == 1)
        {
            return true;
        }

        if (url[1] is '/' or '\\')
        {
            return false;
        }

        foreach (var c in url)
        {
            if (char.IsControl(c))
            {
                return false;
            }
        }

        return true;
    }
}
