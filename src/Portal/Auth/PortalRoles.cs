namespace Portal.Auth;

/// <summary>The portal's two roles. Identity-provider groups are mapped onto them by configuration (<see cref="OidcOptions.RoleMapping"/>).</summary>
public static class PortalRoles
{
    /// <summary>Marketing staff: upload account packages.</summary>
    public const string Uploader = "Uploader";

    /// <summary>Admins: read the audit trail.</summary>
    public const string Auditor = "Auditor";

    public static readonly IReadOnlyList<string> All = [Uploader, Auditor];

    /// <summary>Claim type of the portal roles inside the sign-in cookie (kept apart from whatever the provider sends).</summary>
    public const string ClaimType = "portal_role";
}
