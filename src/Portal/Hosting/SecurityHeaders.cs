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
                // The full policy on the portal's own pages; other answers (data, downloads) are never rendered as pages.
                headers.ContentSecurityPolicy = context.GetEndpoint()?.Metadata.GetMetadata<ComponentTypeMetadata>() is null
                    ? "frame-ancestors 'none'"
                    : policy.Value;
                return Task.CompletedTask;
            });
            return next(context);
        });
    }

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
