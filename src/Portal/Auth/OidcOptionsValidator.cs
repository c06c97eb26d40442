using Microsoft.Extensions.Options;

namespace Portal.Auth;

/// <summary>Start-up checks of the SSO configuration; messages name keys, never secret values.</summary>
public sealed class OidcOptionsValidator : IValidateOptions<OidcOptions>
{
    public ValidateOptionsResult Validate(string? name, OidcOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (!Uri.TryCreate(options.Authority, UriKind.Absolute, out var authority))
        {
            failures.Add("Oidc:Authority must be the absolute URL of the identity provider.");
        }
        else if (authority.Scheme != Uri.UriSchemeHttps && options.RequireHttpsMetadata)
        {
            failures.Add($"Oidc:Authority uses {authority.Scheme}: the provider's keys and tokens must come over https. Use its https address, "
                + "or set Oidc:RequireHttpsMetadata=false for a provider reached over a network you trust.");
        }

        if (string.IsNullOrWhiteSpace(options.ClientId))
        {
            failures.Add("Oidc:ClientId is required.");
        }

        if (string.IsNullOrWhiteSpace(options.ClientSecret))
        {
            failures.Add("Oidc:ClientSecret is required (set the environment variable Oidc__ClientSecret or a user secret).");
        }

        if (!options.Scopes.Contains("openid"))
        {
            failures.Add("Oidc:Scopes must include 'openid'.");
        }

        if (string.IsNullOrWhiteSpace(options.RoleClaimType))
        {
            failures.Add("Oidc:RoleClaimType is required.");
        }

        if (options.RoleMapping.Values.All(values => values.Count == 0))
        {
            failures.Add("Oidc:RoleMapping must map at least one identity-provider value to a portal role, e.g. Oidc:RoleMapping:Uploader:0 = marketing.");
        }

        foreach (var role in options.RoleMapping.Keys.Where(key => !PortalRoles.All.Contains(key, StringComparer.OrdinalIgnoreCase)))
        {
            failures.Add($"Oidc:RoleMapping:{role} is not a portal role; use {string.Join(" or ", PortalRoles.All)}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
