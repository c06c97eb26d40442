using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Portal.Audit;

namespace Portal.Auth;

public static class AuthExtensions
{
    public const string UploaderPolicy = "Uploader";
    public const string AuditorPolicy = "Auditor";

    /// <summary>
    /// Cookie session kept on the server + OpenID Connect (authorization code with PKCE). Every page needs a signed-in
    /// user; the provider's groups are mapped to portal roles on every request.
    /// </summary>
    public static void AddPortalAuthentication(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<OidcOptions>()
            .Bind(builder.Configuration.GetSection(OidcOptions.SectionName))
            .PostConfigure(options =>
            {
                if (options.Scopes.Count == 0)
                {
                    options.Scopes.AddRange(OidcOptions.DefaultScopes);
                }
            })
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<OidcOptions>, OidcOptionsValidator>();
        builder.Services.AddOptions<SessionOptions>()
            .Bind(builder.Configuration.GetSection(SessionOptions.SectionName))
            .Validate(options => options.IdleTimeout > TimeSpan.Zero && options.AbsoluteLifetime >= options.IdleTimeout,
                "Sessions:IdleTimeout must be positive and Sessions:AbsoluteLifetime at least as long.")
            .Validate(options => options.ClaimsRefreshInterval > TimeSpan.Zero && options.RevalidationInterval > TimeSpan.Zero,
                "Sessions:ClaimsRefreshInterval and Sessions:RevalidationInterval must be positive.")
            .ValidateOnStart();
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddSingleton<SessionStore>();
        builder.Services.AddSingleton<ClaimsRefresher>();
        builder.Services.AddSingleton<SessionKeeper>();

        builder.Services.AddAuthentication(options =>
            {
                options.DefaultScheme = CookieAuthenticationDefaults.AuthenticationScheme;
                options.DefaultChallengeScheme = OpenIdConnectDefaults.AuthenticationScheme;
            })
            .AddCookie()
            .AddOpenIdConnect();
        builder.Services.AddOptions<CookieAuthenticationOptions>(CookieAuthenticationDefaults.AuthenticationScheme)
            .Configure<SessionStore, SessionKeeper, IOptions<SessionOptions>, IHostEnvironment>(ConfigureSessionCookie);
        builder.Services.AddOptions<OpenIdConnectOptions>(OpenIdConnectDefaults.AuthenticationScheme)
            .Configure<IOptions<OidcOptions>, IHostEnvironment>(ConfigureOpenIdConnect);

        builder.Services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
            .AddPolicy(UploaderPolicy, policy => policy.RequireRole(PortalRoles.Uploader))
            .AddPolicy(AuditorPolicy, policy => policy.RequireRole(PortalRoles.Auditor));
        builder.Services.AddCascadingAuthenticationState();
        builder.Services.AddScoped<AuthenticationStateProvider, SessionRevalidator>();
        builder.Services.AddSingleton<MissingRoleClaimWarning>();
    }

    /// <summary>
    /// <c>/authentication/login</c> starts sign-in; <c>/authentication/logout</c> (POST, antiforgery) ends the session here
    /// and at the provider, which sends the browser back to the portal's signed-out page.
    /// </summary>
    public static void MapAuthenticationEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/authentication").AllowAnonymous();
        group.MapGet("/login", (string? returnUrl) => TypedResults.Challenge(
            new AuthenticationProperties { RedirectUri = ReturnUrl.LocalOrRoot(returnUrl) },
            [OpenIdConnectDefaults.AuthenticationScheme]));
        group.MapPost("/logout", async ([FromForm] string? returnUrl, HttpContext context, AuditTrail trail) =>
        {
            if (context.User.Identity?.IsAuthenticated == true)
            {
                await trail.AppendAsync(PortalUser.From(context.User).Actor, new SignedOut());
            }

            return TypedResults.SignOut(
                new AuthenticationProperties { RedirectUri = ReturnUrl.LocalOrRoot(returnUrl ?? SignedOutPath) },
                [CookieAuthenticationDefaults.AuthenticationScheme, OpenIdConnectDefaults.AuthenticationScheme]);
        });
    }

    public const string SignedOutPath = "/signed-out";

    public const string SignInFailedPath = "/sign-in-failed";

    /// <summary>The cookie holds only the key of a session kept on the server (<see cref="SessionStore"/>).</summary>
    private static void ConfigureSessionCookie(CookieAuthenticationOptions options, SessionStore store, SessionKeeper keeper,
        IOptions<SessionOptions> sessions, IHostEnvironment environment)
    {
        options.SessionStore = store;
        options.Cookie.Name = ".Portal.Session";
        options.Cookie.HttpOnly = true;
        options.Cookie.SameSite = SameSiteMode.Lax;
        options.Cookie.SecurePolicy = environment.IsDevelopment() ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
        options.ExpireTimeSpan = sessions.Value.IdleTimeout;
        options.SlidingExpiration = true;
        options.AccessDeniedPath = "/access-denied";
        options.Events.OnValidatePrincipal = keeper.ValidateAsync;
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
    }

    private static void ConfigureOpenIdConnect(OpenIdConnectOptions options, IOptions<OidcOptions> oidcOptions, IHostEnvironment environment)
    {
        var oidc = oidcOptions.Value;
        options.Authority = oidc.Authority;
        options.ClientId = oidc.ClientId;
        options.ClientSecret = oidc.ClientSecret;
        options.RequireHttpsMetadata = oidc.RequireHttpsMetadata;
        options.ResponseType = "code";
        options.UsePkce = true;
        // The tokens live in the server-side session, never in the cookie: the id_token names the session at sign-out,
        // the refresh token (when the provider gives one) renews the groups.
        options.SaveTokens = true;
        options.MapInboundClaims = false;
        options.GetClaimsFromUserInfoEndpoint = false;
        options.SignedOutRedirectUri = SignedOutPath;
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
            options.CorrelationCookie.SameSite = SameSiteMode.Lax;
            options.CorrelationCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            options.NonceCookie.SameSite = SameSiteMode.Lax;
            options.NonceCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        }

        options.Events.OnTokenValidated = SignInEvents.OnTokenValidatedAsync;
        options.Events.OnRemoteFailure = SignInEvents.OnRemoteFailureAsync;
        options.Events.OnRedirectToIdentityProviderForSignOut = SignInEvents.OnSigningOutAsync;
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
}
