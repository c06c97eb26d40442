using System.Security.Claims;

namespace Portal.Auth;

/// <summary>Who is acting, as the identity provider named them, and the portal roles they hold: what the upload domain decides with.</summary>
public sealed record PortalUser(string Id, string Name, string? Email, string Issuer, bool IsUploader = false, bool IsAuditor = false)
{
    public Audit.AuditActor Actor => new(Id, Name);

    public static PortalUser From(ClaimsPrincipal principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        var id = principal.FindFirstValue("sub")
            ?? throw new InvalidOperationException("The signed-in user has no 'sub' claim.");
        var email = principal.FindFirstValue("email");
        var name = principal.Identity?.Name ?? principal.FindFirstValue("preferred_username") ?? email ?? id;
        var issuer = principal.FindFirstValue("iss") ?? principal.FindFirst("sub")!.Issuer;
        return new PortalUser(id, name, email, issuer, principal.IsInRole(PortalRoles.Uploader), principal.IsInRole(PortalRoles.Auditor));
    }
}
