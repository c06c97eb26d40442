using System.Security.Claims;

namespace Portal.Auth;

/// <summary>Who is acting, as the identity provider named them: what the audit trail records.</summary>
public sealed record PortalUser(string Id, string Name, string? Email)
{
    public static PortalUser From(ClaimsPrincipal principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        var id = principal.FindFirstValue("sub")
            ?? throw new InvalidOperationException("The signed-in user has no 'sub' claim.");
        var email = principal.FindFirstValue("email");
        var name = principal.Identity?.Name ?? principal.FindFirstValue("preferred_username") ?? email ?? id;
        return new PortalUser(id, name, email);
    }
}
