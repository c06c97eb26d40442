#if DEVSTACK
using Portal.Auth;
using Portal.DevStack;
using Portal.Tencent;
#else
using Microsoft.Extensions.Options;
#endif

namespace Portal.Hosting;

/// <summary>
/// The development stand-ins of Portal.DevStack (an OpenID Connect identity provider with demo users, a Tencent Push
/// simulator), wired in when the build includes them and the configuration enables them. Builds include them unless
/// built with <c>-p:IncludeDevStack=false</c>, as the container image is: it carries no OpenIddict, no in-memory
/// database and no simulator.
/// </summary>
public static class DevelopmentStack
{
    public static void AddDevelopmentStack(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
#if DEVSTACK
        var devStack = builder.AddDevStack();
        builder.Services.AddOptions<OidcOptions>().PostConfigure(options => UseIdentityProvider(options, devStack.IdentityProvider));
        builder.Services.AddOptions<TencentOptions>().PostConfigure(options => ConnectSimulatorApps(options, devStack.TencentSimulator));
#else
        if (builder.Configuration.GetValue<bool>("DevStack:IdentityProvider:Enabled") || builder.Configuration.GetValue<bool>("DevStack:TencentSimulator:Enabled"))
        {
            throw new OptionsValidationException("DevStack", typeof(WebApplicationBuilder),
                ["This build of the portal has no development stack (the container image leaves it out): set DevStack:IdentityProvider:Enabled and DevStack:TencentSimulator:Enabled to false."]);
        }
#endif
    }

    public static void MapDevelopmentStack(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
#if DEVSTACK
        app.MapDevStack();
#endif
    }

#if DEVSTACK
    /// <summary>
    /// With no <c>Oidc:Authority</c> configured, the portal signs in through the development identity provider, asking (unless
    /// <c>Oidc:Scopes</c> says otherwise) for the groups and a refresh token, as a production set-up should.
    /// </summary>
    private static void UseIdentityProvider(OidcOptions options, DevIdentityProviderClient? identityProvider)
    {
        if (identityProvider is null || !string.IsNullOrEmpty(options.Authority))
        {
            return;
        }

        if (options.Scopes.Count == 0)
        {
            options.Scopes.AddRange([.. OidcOptions.DefaultScopes, "groups", "offline_access"]);
        }

        options.Authority = identityProvider.Authority.ToString();
        options.ClientId = identityProvider.ClientId;
        options.ClientSecret = identityProvider.ClientSecret;
        options.RequireHttpsMetadata = identityProvider.Authority.Scheme == Uri.UriSchemeHttps;
    }

    /// <summary>Apps with region Simulator talk to the development simulator, with the credentials it generated.</summary>
    private static void ConnectSimulatorApps(TencentOptions options, DevTencentSimulatorClient? simulator)
    {
        foreach (var app in options.Apps.Where(app => app.Region == TencentRegion.Simulator))
        {
            var credential = simulator?.Apps.FirstOrDefault(candidate => candidate.AccessId == app.AccessId);
            if (credential is not null)
            {
                app.BaseUrl = simulator!.BaseUrl;
                app.SecretKey = credential.SecretKey;
            }
        }
    }
#endif
}
