using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Portal.Audit;
using Portal.DevStack;

namespace Portal.Auth;

public static class AuthExtensions
{
    public const string UploaderPolicy = "Uploader";
    public const string AuditorPolicy = "Auditor";

    /// <summary>
    /// Cookie session + OpenID Connect (authorization code with PKCE). Every page needs a signed-in user; the provider's
    /// groups are mapped to portal roles at sign-in. With the development identity provider enabled and no
    /// <c>Oidc:Authority</c> configured, the portal signs in through it.
    /// </summary>
    public static void AddPortalAuthentication(this WebApplicationBuilder builder, DevStackConnection devStack)
    {
        ArgumentNullException.ThrowIfNull(devStack);
        builder.Services.AddOptions<OidcOptions>()
            .Bind(builder.Configuration.GetSection(OidcOptions.SectionName))
            .PostConfigure(options => UseDevelopmentIdentityProvider(options, devStack.IdentityProvider))
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<OidcOptions>, OidcOptionsValidator>();

        builder.Services.AddAuthentication(options =>
            {
                options.DefaultScheme = CookieAuthenticationDefaults.AuthenticationScheme;
                options.DefaultChallengeScheme = OpenIdConnectDefaults.AuthenticationScheme;
            })
            .AddCookie(options =>
            {
                options.Cookie.Name = ".Portal.Session";
                options.Cookie.HttpOnly = true;
                options.Cookie.SameSite = SameSiteMode.Lax;
                options.Cookie.SecurePolicy = builder.Environment.IsDevelopment() ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
                options.ExpireTimeSpan = TimeSpan.FromHours(8);
                options.SlidingExpiration = true;
                options.AccessDeniedPath = "/access-denied";
                options.Events.OnRedirectToAccessDenied = context =>
                {
                    if (context.Request.Path.StartsWithSegments("/api"))
                    {
                        context.Response.StatusCode = StatusCodes.Status403Forbidden;
                        return Task.CompletedTask;
                    }

                    context.Response.Redirect(context.RedirectUri);
                    return Task.CompletedTask;
                };
            })
            .AddOpenIdConnect();
        builder.Services.AddOptions<OpenIdConnectOptions>(OpenIdConnectDefaults.AuthenticationScheme)
            .Configure<IOptions<OidcOptions>, IHostEnvironment>(ConfigureOpenIdConnect);

        builder.Services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
            .AddPolicy(UploaderPolicy, policy => policy.RequireRole(PortalRoles.Uploader))
            .AddPolicy(AuditorPolicy, policy => policy.RequireRole(PortalRoles.Auditor));
        builder.Services.AddCascadingAuthenticationState();
    }

    /// <summary><c>/authentication/login</c> starts sign-in; <c>/authentication/logout</c> (POST, antiforgery) ends it at the provider too.</summary>
    public static void MapAuthenticationEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/authentication").AllowAnonymous();
        group.MapGet("/login", (string? returnUrl) => TypedResults.Challenge(
            new AuthenticationProperties { RedirectUri = LocalOrRoot(returnUrl) },
            [OpenIdConnectDefaults.AuthenticationScheme]));
        group.MapPost("/logout", async ([FromForm] string? returnUrl, HttpContext context, AuditTrail trail) =>
        {
            if (context.User.Identity?.IsAuthenticated == true)
            {
                await trail.AppendAsync(PortalUser.From(context.User).Actor, new SignedOut());
            }

            return TypedResults.SignOut(
                new AuthenticationProperties { RedirectUri = LocalOrRoot(returnUrl ?? "/signed-out") },
                [CookieAuthenticationDefaults.AuthenticationScheme, OpenIdConnectDefaults.AuthenticationScheme]);
        });
    }

    private static void UseDevelopmentIdentityProvider(OidcOptions options, DevIdentityProviderClient? identityProvider)
    {
        if (identityProvider is null || !string.IsNullOrEmpty(options.Authority))
        {
            return;
        }

        options.Authority = identityProvider.Authority.ToString();
        options.ClientId = identityProvider.ClientId;
        options.ClientSecret = identityProvider.ClientSecret;
    }

    private static void ConfigureOpenIdConnect(OpenIdConnectOptions options, IOptions<OidcOptions> oidcOptions, IHostEnvironment environment)
    {
        var oidc = oidcOptions.Value;
        options.Authority = oidc.Authority;
        options.ClientId = oidc.ClientId;
        options.ClientSecret = oidc.ClientSecret;
        options.ResponseType = "code";
        options.UsePkce = true;
        options.SaveTokens = false;
        options.MapInboundClaims = false;
        options.GetClaimsFromUserInfoEndpoint = false;
        options.Scope.Clear();
        foreach (var scope in oidc.Scopes)
        {
            options.Scope.Add(scope);
        }

        options.TokenValidationParameters.NameClaimType = oidc.NameClaimType;
        options.TokenValidationParameters.RoleClaimType = PortalRoles.ClaimType;

        var plainHttpAuthority = oidc.Authority.StartsWith("http://", StringComparison.OrdinalIgnoreCase);
        if (plainHttpAuthority && environment.IsDevelopment())
        {
            // The development identity provider runs on plain HTTP and on the portal's own origin: Lax cookies suffice,
            // and SameSite=None would be dropped by browsers without Secure.
            options.RequireHttpsMetadata = false;
            options.CorrelationCookie.SameSite = SameSiteMode.Lax;
            options.CorrelationCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            options.NonceCookie.SameSite = SameSiteMode.Lax;
            options.NonceCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        }

        options.Events.OnTokenValidated = async context =>
        {
            if (context.Principal?.Identity is not ClaimsIdentity identity)
            {
                return;
            }

            var providerValues = identity.FindAll(oidc.RoleClaimType).Select(claim => claim.Value);
            var roles = oidc.MapRoles(providerValues).ToList();
            foreach (var role in roles)
            {
                identity.AddClaim(new Claim(PortalRoles.ClaimType, role));
            }

            await context.HttpContext.RequestServices.GetRequiredService<AuditTrail>().AppendAsync(
                PortalUser.From(context.Principal).Actor, new SignedIn(roles, context.HttpContext.Connection.RemoteIpAddress?.ToString()));
        };
        options.Events.OnRedirectToIdentityProvider = context =>
        {
            // API calls from the page get a status code, not a redirect to a sign-in page they cannot follow.
            if (context.Request.Path.StartsWithSegments("/api"))
            {
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                context.HandleResponse();
            }

            return Task.CompletedTask;
        };
    }

    private static string LocalOrRoot(string? returnUrl) =>
        !string.IsNullOrEmpty(returnUrl) && returnUrl.StartsWith('/') && !returnUrl.StartsWith("//", StringComparison.Ordinal) && !returnUrl.StartsWith("/\\", StringComparison.Ordinal)
            ? returnUrl
            : "/";
}
