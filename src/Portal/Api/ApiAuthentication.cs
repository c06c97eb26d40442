using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using Portal.Auth;

namespace Portal.Api;

/// <summary>
/// Who may call <c>/api/v1</c>: bearer tokens (JWT) from the identity provider, for the configured authority, audience and
/// issuer, and nothing else; the session cookie is never asked. A token's role claim (<see cref="ApiOptions.RoleClaimType"/>)
/// becomes portal roles through the same <c>Oidc:RoleMapping</c> as a person's groups, and the caller acts under its
/// subject and name, as a person does under theirs.
/// </summary>
public static class ApiAuthentication
{
    public const string Scheme = JwtBearerDefaults.AuthenticationScheme;
    public const string UploaderPolicy = "ApiUploader";
    public const string MemberPolicy = "ApiMember";
    public const string AuditorPolicy = "ApiAuditor";

    public static bool IsApiRequest(HttpContext context) => context?.Request.Path.StartsWithSegments(ApiRoutes.Prefix) == true;

    public static void AddApiAuthentication(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<ApiOptions>()
            .Bind(builder.Configuration.GetSection(ApiOptions.SectionName))
            .Validate(options => !string.IsNullOrWhiteSpace(options.Audience), "Api:Audience is required: the audience the portal API is registered under at the identity provider.")
            .Validate(options => !string.IsNullOrWhiteSpace(options.RoleClaimType), "Api:RoleClaimType is required (for example roles).")
            .Validate(options => options.Authority.Length == 0 || Uri.TryCreate(options.Authority, UriKind.Absolute, out _),
                "Api:Authority must be the absolute URL of the identity provider that issues the API's tokens, or empty for Oidc:Authority.")
            .ValidateOnStart();
        builder.Services.AddAuthentication().AddJwtBearer(Scheme);
        builder.Services.AddOptions<JwtBearerOptions>(Scheme).Configure<IOptions<OidcOptions>, IOptions<ApiOptions>>(ConfigureBearer);
        // A browser's session cookie reaching /api/v1 is not even read: asked there, the cookie scheme answers with the bearer token's verdict.
        builder.Services.AddOptions<CookieAuthenticationOptions>(CookieAuthenticationDefaults.AuthenticationScheme)
            .Configure(options => options.ForwardDefaultSelector = context => IsApiRequest(context) ? Scheme : null);
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(UploaderPolicy, policy => policy.AddAuthenticationSchemes(Scheme).RequireRole(PortalRoles.Uploader))
            .AddPolicy(MemberPolicy, policy => policy.AddAuthenticationSchemes(Scheme).RequireRole(PortalRoles.Uploader, PortalRoles.Auditor))
            .AddPolicy(AuditorPolicy, policy => policy.AddAuthenticationSchemes(Scheme).RequireRole(PortalRoles.Auditor));
    }

    private static void ConfigureBearer(JwtBearerOptions options, IOptions<OidcOptions> oidcOptions, IOptions<ApiOptions> apiOptions)
    {
        var oidc = oidcOptions.Value;
        var api = apiOptions.Value;
        options.Authority = api.Authority.Length > 0 ? api.Authority : oidc.Authority;
        options.Audience = api.Audience;
        options.RequireHttpsMetadata = oidc.RequireHttpsMetadata;
        options.MapInboundClaims = false;
        if (api.Issuer.Length > 0)
        {
            options.TokenValidationParameters.ValidIssuer = api.Issuer;
        }

        options.Events = new JwtBearerEvents
        {
            OnTokenValidated = context =>
            {
                var principal = CallerOf(context.Principal!, oidc, api);
                if (principal is null)
                {
                    context.Fail("The token names no subject.");
                }
                else
                {
                    context.Principal = principal;
                }

                return Task.CompletedTask;
            },
            OnChallenge = async context =>
            {
                context.HandleResponse();
                var given = context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase);
                context.Response.Headers.WWWAuthenticate = given ? "Bearer error=\"invalid_token\"" : "Bearer";
                var detail = (given, context.AuthenticateFailure) switch
                {
                    (false, _) => "The request has no bearer token: get one from the identity provider (client credentials) and send it as 'Authorization: Bearer <token>'.",
                    (_, SecurityTokenExpiredException) => "The bearer token has expired: get a new one.",
                    (_, SecurityTokenInvalidAudienceException) => $"The bearer token is meant for another audience, not '{api.Audience}'.",
                    (_, SecurityTokenInvalidIssuerException) => "The bearer token was issued by another identity provider than the one the portal trusts.",
                    _ => "The bearer token is not valid here: it is malformed, or not signed by the identity provider the portal trusts.",
                };
                await ApiProblems.Result(ApiProblemTypes.Unauthorized, detail).ExecuteAsync(context.HttpContext);
            },
            OnForbidden = context => ApiProblems.Result(ApiProblemTypes.Forbidden,
                    $"'{context.HttpContext.User.Identity?.Name}' has no portal role that allows this call (portal roles: {DescribeRoles(context.HttpContext.User)}).")
                .ExecuteAsync(context.HttpContext),
        };
    }

    /// <summary>
    /// The caller as the portal sees it: the token's subject and name (for a service account, its client id and display
    /// name), its role claim's values as the groups the role mapping and the apps' allowed groups read, and the portal roles
    /// they grant. Null when the token names no subject.
    /// </summary>
    internal static ClaimsPrincipal? CallerOf(ClaimsPrincipal token, OidcOptions oidc, ApiOptions api)
    {
        var subject = token.FindFirstValue("sub") ?? token.FindFirstValue("client_id") ?? token.FindFirstValue("azp");
        if (subject is null)
        {
            return null;
        }

        var identity = new ClaimsIdentity(Scheme, oidc.NameClaimType, PortalRoles.ClaimType);
        identity.AddClaim(new Claim("sub", subject));
        identity.AddClaim(new Claim(oidc.NameClaimType,
            token.FindFirstValue(oidc.NameClaimType) ?? token.FindFirstValue("client_id") ?? token.FindFirstValue("azp") ?? subject));
        if (token.FindFirstValue("iss") is { } issuer)
        {
            identity.AddClaim(new Claim("iss", issuer));
        }

        identity.AddClaims(token.FindAll(api.RoleClaimType).Select(claim => new Claim(oidc.RoleClaimType, claim.Value)));
        return SessionKeeper.WithPortalRoles(new ClaimsPrincipal(identity), oidc);
    }

    private static string DescribeRoles(ClaimsPrincipal user) =>
        user.FindAll(PortalRoles.ClaimType).Select(claim => claim.Value).ToList() is { Count: > 0 } roles ? string.Join(", ", roles) : "none";
}
