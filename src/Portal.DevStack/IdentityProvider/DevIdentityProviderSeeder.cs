using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Portal.DevStack.IdentityProvider;

/// <summary>Registers the portal as a confidential client, and the demo service accounts, in the in-memory store at start-up.</summary>
internal sealed class DevIdentityProviderSeeder(
    IServiceScopeFactory scopeFactory,
    DevIdentityProviderSettings settings,
    ILogger<DevIdentityProviderSeeder> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var manager = scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();
        var client = settings.Client;

        if (await manager.FindByClientIdAsync(client.ClientId, cancellationToken) is { } existing)
        {
            await manager.DeleteAsync(existing, cancellationToken);
        }

        var descriptor = new OpenIddictApplicationDescriptor
        {
            ClientId = client.ClientId,
            ClientSecret = client.ClientSecret,
            ClientType = ClientTypes.Confidential,
            ConsentType = ConsentTypes.Implicit,
            DisplayName = "Portal (development)",
            RedirectUris = { settings.RedirectUri },
            PostLogoutRedirectUris = { settings.PostLogoutRedirectUri },
            Permissions =
            {
                Permissions.Endpoints.Authorization,
                Permissions.Endpoints.Token,
                Permissions.Endpoints.EndSession,
                Permissions.GrantTypes.AuthorizationCode,
                Permissions.GrantTypes.RefreshToken,
                Permissions.ResponseTypes.Code,
                Permissions.Scopes.Profile,
                Permissions.Scopes.Email,
                Permissions.Prefixes.Scope + DevIdentityProviderSettings.GroupsScope,
            },
            Requirements = { Requirements.Features.ProofKeyForCodeExchange },
        };

        await manager.CreateAsync(descriptor, cancellationToken);
        logger.ClientRegistered(client.ClientId, settings.RedirectUri, settings.PostLogoutRedirectUri);
        foreach (var service in client.ServiceClients)
        {
            await manager.CreateAsync(new OpenIddictApplicationDescriptor
            {
                ClientId = service.ClientId,
                ClientSecret = service.ClientSecret,
                ClientType = ClientTypes.Confidential,
                DisplayName = service.DisplayName,
                Permissions = { Permissions.Endpoints.Token, Permissions.GrantTypes.ClientCredentials },
            }, cancellationToken);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
