using Microsoft.AspNetCore.Components.Endpoints;
using Microsoft.Extensions.Options;
using Portal.Auth;

namespace Portal.Hosting;

/// <summary>
/// Headers on every response: never framed, never sniffed, no referrer (upload ids stay in the portal). The portal's
/// pages get one Content-Security-Policy: scripts only from the portal itself, no plugins, forms posted only to the
/// portal and to the identity provider (sign-out is a form whose answer redirects there), the circuit's WebSocket to self.
/// Styles allow inline attributes, which MudBlazor's components use.
/// </summary>
public static class SecurityHeaders
{
    public static void UseSecurityHeaders(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        // Read at the first answer: building the pipeline must not read options before the start-up checks have run.
        var policy = new Lazy<string>(() => PagePolicy(app.Services.GetRequiredService<IOptions<OidcOptions>>().Value.Authority));
        app.Use((context, next) =>
        {
            // When the answer starts: a status-code page re-executed for it has chosen its endpoint by then.
            context.Response.OnStarting(() =>
            {
                var headers = context.Response.Headers;
                headers.XContentTypeOptions = "nosniff";
                headers.XFrameOptions = "DENY";
                headers["Referrer-Policy"] = "no-referrer";
                headers.ContentSecurityPolicy = IsPortalPage(context) ? policy.Value : "frame-ancestors 'none'";
                return Task.CompletedTask;
            });
            return next(context);
        });
    }

    /// <summary>
    /// The portal's own pages: HTML from a page component, or from no endpoint at all (a status-code page re-executed for a
    /// path nothing matched). Other answers (data, downloads, the development identity provider's own pages) are left alone.
    /// </summary>
    private static bool IsPortalPage(HttpContext context) => context.GetEndpoint() switch
    {
        null => context.Response.ContentType?.StartsWith("text/html", StringComparison.OrdinalIgnoreCase) == true,
        var endpoint => endpoint.Metadata.GetMetadata<ComponentTypeMetadata>() is not null,
    };

    public static string PagePolicy(string identityProvider)
    {
        var providerOrigin = Uri.TryCreate(identityProvider, UriKind.Absolute, out var authority) ? " " + authority.GetLeftPart(UriPartial.Authority) : "";
        return string.Join("; ",
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data:",
            "font-src 'self' data:",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "frame-ancestors 'none'",
            $"form-action 'self'{providerOrigin}");
    }
}
