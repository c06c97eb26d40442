using System.Buffers.Text;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Tokens;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Portal.DevStack.IdentityProvider;

/// <summary>Registration and endpoints of the development OpenID Connect provider (OpenIddict server).</summary>
internal static class DevIdentityProviderExtensions
{
    public static IServiceCollection AddDevIdentityProvider(this IServiceCollection services, DevIdentityProviderSettings settings)
    {
        services.AddSingleton(settings);
        services.AddSingleton(settings.Users);
        services.AddSingleton<DevIdentityProviderEndpoints>();
        services.AddAntiforgery();

        // A cookie scheme of its own: the portal owns the default (cookie) and challenge (OIDC) schemes.
        services.AddAuthentication()
            .AddCookie(DevIdentityProviderSettings.CookieScheme, options =>
            {
                options.Cookie.Name = DevIdentityProviderSettings.CookieName;
                options.Cookie.HttpOnly = true;
                options.Cookie.SameSite = SameSiteMode.Lax;
                options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                options.LoginPath = DevIdentityProviderSettings.LoginPath;
                options.ExpireTimeSpan = TimeSpan.FromHours(8);
                options.SlidingExpiration = true;
            });

        // One in-memory database per registration, so that several hosts in one process (tests) stay apart.
        var databaseName = "DevIdentityProvider-" + Guid.NewGuid().ToString("N");
        services.AddDbContext<DevIdentityProviderDbContext>(options => options
            .UseInMemoryDatabase(databaseName)
            .ConfigureWarnings(warnings => warnings.Ignore(InMemoryEventId.TransactionIgnoredWarning))
            .UseOpenIddict());

        services.AddOpenIddict()
            .AddCore(options => options.UseEntityFrameworkCore().UseDbContext<DevIdentityProviderDbContext>())
            .AddServer(options =>
            {
                // Discovery (/.well-known/openid-configuration) and JWKS (/.well-known/jwks) keep their default paths.
                // No issuer is set: it follows the request's scheme and host.
                options.SetAuthorizationEndpointUris(DevIdentityProviderSettings.AuthorizationPath.TrimStart('/'))
                    .SetTokenEndpointUris(DevIdentityProviderSettings.TokenPath.TrimStart('/'))
                    .SetEndSessionEndpointUris(DevIdentityProviderSettings.EndSessionPath.TrimStart('/'));

                options.AllowAuthorizationCodeFlow()
                    .AllowRefreshTokenFlow()
                    .AllowClientCredentialsFlow()
                    .RequireProofKeyForCodeExchange();

                options.RegisterScopes(Scopes.OpenId, Scopes.Profile, Scopes.Email, Scopes.OfflineAccess, DevIdentityProviderSettings.GroupsScope);
                options.RegisterClaims(
                    Claims.Subject,
                    Claims.Name,
                    Claims.Email,
                    Claims.PreferredUsername,
                    DevIdentityProviderSettings.GroupsClaim,
                    DevIdentityProviderSettings.RolesClaim);

                // Ephemeral keys: created in memory for this process, never stored, so every token dies with the process.
                // Made here rather than with AddEphemeralSigningKey/AddEphemeralEncryptionKey, which cost 1-6 s of
                // start-up on this machine (large RSA keys); RSA-2048 signs the id_token (RS256), AES-256 wraps codes.
                options.AddSigningKey(CreateEphemeralSigningKey())
                    .AddEncryptionKey(new SymmetricSecurityKey(RandomNumberGenerator.GetBytes(32)))
                    .DisableAccessTokenEncryption();

                options.UseAspNetCore()
                    .EnableAuthorizationEndpointPassthrough()
                    .EnableTokenEndpointPassthrough()
                    .EnableEndSessionEndpointPassthrough()
                    .DisableTransportSecurityRequirement();
            });

        services.AddHostedService<DevIdentityProviderSeeder>();
        return services;
    }

    public static void MapDevIdentityProvider(this WebApplication app)
    {
        string[] getAndPost = [HttpMethods.Get, HttpMethods.Post];

        app.MapMethods(
                DevIdentityProviderSettings.AuthorizationPath,
                getAndPost,
                (HttpContext context, DevIdentityProviderEndpoints endpoints) => endpoints.AuthorizeAsync(context))
            .AllowAnonymous()
            .DisableAntiforgery()
            .ExcludeFromDescription();

        // Codes and refresh tokens are exchanged here, so that every new token carries the user's groups as they are now;
        // service accounts get their tokens here too (client credentials).
        app.MapPost(
                DevIdentityProviderSettings.TokenPath,
                (HttpContext context, DevIdentityProviderEndpoints endpoints) => endpoints.ExchangeAsync(context))
            .AllowAnonymous()
            .DisableAntiforgery()
            .ExcludeFromDescription();

        app.MapMethods(
                DevIdentityProviderSettings.EndSessionPath,
                getAndPost,
                (HttpContext context, DevIdentityProviderEndpoints endpoints) => endpoints.EndSessionAsync(context))
            .AllowAnonymous()
            .DisableAntiforgery()
            .ExcludeFromDescription();

        app.MapGet(
                DevIdentityProviderSettings.LoginPath,
                (HttpContext context, DevIdentityProviderEndpoints endpoints) => endpoints.ShowLogin(context))
            .AllowAnonymous()
            .ExcludeFromDescription();

        // The antiforgery token is validated explicitly with IAntiforgery (the handler reads the form itself).
        app.MapPost(
                DevIdentityProviderSettings.LoginPath,
                (HttpContext context, DevIdentityProviderEndpoints endpoints) => endpoints.SubmitLoginAsync(context))
            .AllowAnonymous()
            .DisableAntiforgery()
            .ExcludeFromDescription();

        var settings = app.Services.GetRequiredService<DevIdentityProviderSettings>();
        app.Services.GetRequiredService<ILoggerFactory>()
            .CreateLogger("Portal.DevStack.IdentityProvider")
            .IdentityProviderEnabled(
                settings.Client.Authority,
                settings.Client.ClientId,
                string.Join(", ", settings.Users.All.Select(u => u.UserName)));
        if (app.Environment.IsDevelopment())
        {
            PrintServiceClients(settings);
        }
    }

    /// <summary>
    /// The demo service accounts and their secrets, on the console and never in the log: random per start and
    /// Development only, so that the README's automation example can run against <c>dotnet run</c>.
    /// </summary>
    private static void PrintServiceClients(DevIdentityProviderSettings settings)
    {
        Console.WriteLine($"Development identity provider: demo service clients (client credentials at {settings.Client.Authority}{DevIdentityProviderSettings.TokenPath.TrimStart('/')}, audience {DevIdentityProviderSettings.ApiAudience}):");
        foreach (var client in settings.Client.ServiceClients)
        {
            var roles = client.Roles.Count == 0 ? "no roles" : $"roles {string.Join(", ", client.Roles)}";
            Console.WriteLine($"  {client.ClientId} ({client.DisplayName}; {roles}) secret: {client.ClientSecret}");
        }
    }

    private static RsaSecurityKey CreateEphemeralSigningKey()
    {
        // The RSA instance lives as long as the process (the key is held by the OpenIddict options).
        var rsa = RSA.Create(2048);
        var thumbprint = SHA256.HashData(rsa.ExportSubjectPublicKeyInfo());
        return new RsaSecurityKey(rsa) { KeyId = Base64Url.EncodeToString(thumbprint.AsSpan(0, 16)) };
    }
}
