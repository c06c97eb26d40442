namespace Portal.Api;

/// <summary>Configuration section <c>Api</c>: which bearer tokens <c>/api/v1</c> takes.</summary>
public sealed class ApiOptions
{
    public const string SectionName = "Api";

    /// <summary>The identity provider that issues the tokens; empty: <c>Oidc:Authority</c>.</summary>
    public string Authority { get; set; } = "";

    /// <summary>The <c>aud</c> a token must carry: the portal API as registered at the provider.</summary>
    public string Audience { get; set; } = "portal-api";

    /// <summary>The <c>iss</c> a token must carry; empty: the issuer the provider's discovery document names.</summary>
    public string Issuer { get; set; } = "";

    /// <summary>
    /// The token claim that carries a service account's groups or app roles (Entra ID, Keycloak: "roles"). Its values are
    /// mapped to portal roles by <c>Oidc:RoleMapping</c> and matched against <c>Tencent:Apps:N:AllowedGroups</c>, as a person's groups are.
    /// </summary>
    public string RoleClaimType { get; set; } = "roles";
}
