namespace Portal.Auth;

/// <summary>Configuration section <c>Oidc</c>: the company's OpenID Connect identity provider.</summary>
public sealed class OidcOptions
{
    public const string SectionName = "Oidc";

    /// <summary>Issuer URL, e.g. https://login.microsoftonline.com/{tenant}/v2.0. Left empty in Development to use the development identity provider.</summary>
    public string Authority { get; set; } = "";

    public string ClientId { get; set; } = "";

    /// <summary>
    /// The provider's metadata, keys and tokens must come over https. Set to false only for a provider reached over a
    /// network the portal trusts (the development identity provider runs on plain http).
    /// </summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    /// <summary>From an environment variable or a secret store only.</summary>
    public string ClientSecret { get; set; } = "";

    /// <summary>
    /// The scopes asked for; when none are configured, <see cref="DefaultScopes"/>. Configured scopes replace the default
    /// list whole (a default here would be merged with them entry by entry by the configuration binder).
    /// </summary>
    public List<string> Scopes { get; set; } = [];

    public static readonly IReadOnlyList<string> DefaultScopes = ["openid", "profile", "email"];

    /// <summary>The claim that carries the user's groups or roles (Entra ID: "roles" or "groups"; Okta/Keycloak: "groups").</summary>
    public string RoleClaimType { get; set; } = "groups";

    public string NameClaimType { get; set; } = "name";

    /// <summary>Portal role → the provider's claim values that grant it, e.g. Uploader: ["marketing"].</summary>
    public Dictionary<string, List<string>> RoleMapping { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The provider's group or role values a signed-in user carries (kept in the session cookie).</summary>
    public IEnumerable<string> GroupsOf(System.Security.Claims.ClaimsPrincipal user) =>
        user.FindAll(RoleClaimType).Select(claim => claim.Value);

    /// <summary>Portal roles granted by a principal's provider claim values.</summary>
    public IEnumerable<string> MapRoles(IEnumerable<string> providerValues)
    {
        var values = providerValues.ToHashSet(StringComparer.Ordinal);
        return RoleMapping
            .Where(mapping => mapping.Value.Any(values.Contains))
            .Select(mapping => PortalRoles.All.First(role => string.Equals(role, mapping.Key, StringComparison.OrdinalIgnoreCase)));
    }
}
