namespace Portal.DevStack.IdentityProvider;

/// <summary>The resolved identity provider configuration for this process: its own origin, and the origin of the portal it signs users in for.</summary>
internal sealed record DevIdentityProviderSettings(string Origin, string ClientOrigin, DevIdentityProviderClient Client, DemoUsers Users)
{
    public const string CookieScheme = "DevIdentityProvider";
    public const string CookieName = ".DevIdp";
    public const string LoginPath = "/dev-idp/login";
    public const string AuthorizationPath = "/connect/authorize";
    public const string TokenPath = "/connect/token";
    public const string EndSessionPath = "/connect/endsession";
    public const string GroupsScope = "groups";
    public const string GroupsClaim = "groups";

    /// <summary>The claim a service account's roles travel in, as Entra ID app roles do.</summary>
    public const string RolesClaim = "roles";

    /// <summary>The audience of service accounts' access tokens: the portal API (the portal's <c>Api:Audience</c> default).</summary>
    public const string ApiAudience = "portal-api";

    public Uri RedirectUri { get; } = new(ClientOrigin + "/signin-oidc");

    public Uri PostLogoutRedirectUri { get; } = new(ClientOrigin + "/signout-callback-oidc");
}
