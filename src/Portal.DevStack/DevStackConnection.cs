using System.Text;

namespace Portal.DevStack;

/// <summary>
/// What the portal needs to wire itself to the development stand-ins that <see cref="DevStackExtensions.AddDevStack"/>
/// registered. A part that is disabled is <see langword="null"/>.
/// </summary>
public sealed class DevStackConnection
{
    internal DevStackConnection(DevIdentityProviderClient? identityProvider, DevTencentSimulatorClient? tencentSimulator)
    {
        IdentityProvider = identityProvider;
        TencentSimulator = tencentSimulator;
    }

    /// <summary>The development OpenID Connect provider, or <see langword="null"/> when it is disabled.</summary>
    public DevIdentityProviderClient? IdentityProvider { get; }

    /// <summary>The Tencent Push simulator, or <see langword="null"/> when it is disabled.</summary>
    public DevTencentSimulatorClient? TencentSimulator { get; }
}

/// <summary>
/// How the portal's OpenID Connect handler reaches the development identity provider.
/// <paramref name="ClientSecret"/> is random per process; <see cref="object.ToString"/> redacts it. <see cref="ServiceClients"/>
/// are the provider's machine clients (client credentials), for calling the portal's API.
/// </summary>
public sealed record DevIdentityProviderClient(Uri Authority, string ClientId, string ClientSecret)
{
    public IReadOnlyList<DevServiceClient> ServiceClients { get; init; } = [];

    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("Authority = ").Append(Authority).Append(", ClientId = ").Append(ClientId).Append(", ClientSecret = ***, ServiceClients = [")
            .AppendJoin(", ", ServiceClients).Append(']');
        return true;
    }
}

/// <summary>
/// A service account of the development identity provider (client credentials grant): its access tokens name it
/// (<c>sub</c> = <paramref name="ClientId"/>, <c>name</c> = <paramref name="DisplayName"/>) and carry <paramref name="Roles"/> as the
/// <c>roles</c> claim. <paramref name="ClientSecret"/> is random per process; <see cref="object.ToString"/> redacts it.
/// </summary>
public sealed record DevServiceClient(string ClientId, string DisplayName, IReadOnlyList<string> Roles, string ClientSecret)
{
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("ClientId = ").Append(ClientId).Append(", Roles = [").AppendJoin(", ", Roles).Append("], ClientSecret = ***");
        return true;
    }
}

/// <summary>
/// Where the Tencent Push simulator listens (<paramref name="BaseUrl"/> ends with a slash, like the real access points)
/// and which apps it accepts.
/// </summary>
public sealed record DevTencentSimulatorClient(Uri BaseUrl, IReadOnlyList<SimulatorCredential> Apps)
{
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("BaseUrl = ").Append(BaseUrl).Append(", Apps = [").AppendJoin(", ", Apps).Append(']');
        return true;
    }
}

/// <summary>An app the simulator accepts with Basic auth. <see cref="object.ToString"/> redacts the secret key.</summary>
public sealed record SimulatorCredential(string AccessId, string SecretKey)
{
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("AccessId = ").Append(AccessId).Append(", SecretKey = ***");
        return true;
    }
}
