using Microsoft.Extensions.FileProviders;
using MudBlazor.Services;
using Portal.Audit;
using Portal.Auth;
using Portal.Components;
using Portal.Data;
using Portal.DevStack;
using Portal.Health;
using Portal.Tencent;
using Portal.Uploads;

namespace Portal;

/// <summary>Composition of the portal: services in <see cref="AddPortal"/>, the request pipeline in <see cref="UsePortalAsync"/>.</summary>
public static class PortalApplication
{
    public static void AddPortal(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var devStack = builder.AddDevStack();
        builder.AddPortalStorage();
        builder.AddAuditTrail();
        builder.AddPortalAuthentication(devStack);
        builder.AddTencentPush(devStack);
        builder.AddUploads();
        builder.Services.AddPortalHealthChecks();
        builder.Services.AddProblemDetails();
        builder.Services.AddMudServices();
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
    }

    public static async Task UsePortalAsync(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        await app.PrepareStorageAsync();

        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/error", createScopeForErrors: true);
            app.UseHsts();
        }

        app.Use((context, next) =>
        {
            // The portal is never framed, never sniffed, and leaks no URLs (upload ids) to other sites.
            var headers = context.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            headers.ContentSecurityPolicy = "frame-ancestors 'none'";
            return next(context);
        });

        // Friendly pages for people; API callers (the upload script) get the bare status and problem details.
        app.UseWhen(
            context => !context.Request.Path.StartsWithSegments("/api"),
            pages => pages.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true));
        app.UseStaticFiles(new StaticFileOptions
        {
            // Brand assets and example packages from wwwroot-assets/, copied beside the app at build time.
            FileProvider = new PhysicalFileProvider(Path.Combine(AppContext.BaseDirectory, "wwwroot-assets")),
            RequestPath = "/assets",
            OnPrepareResponse = context => context.Context.Response.Headers.CacheControl = "public, max-age=3600",
        });
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();

        app.MapStaticAssets().AllowAnonymous();
        app.MapPortalHealthChecks();
        app.MapAuthenticationEndpoints();
        app.MapUploadEndpoints();
        app.MapAuditExport();
        app.MapDevStack();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
    }
}
