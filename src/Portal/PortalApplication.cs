using Microsoft.Extensions.FileProviders;
using MudBlazor.Services;
using Portal.Api;
using Portal.Audit;
using Portal.Auth;
using Portal.Components;
using Portal.Data;
using Portal.Health;
using Portal.Hosting;
using Portal.Localization;
using Portal.Tencent;
using Portal.Uploads;

namespace Portal;

/// <summary>Composition of the portal: services in <see cref="AddPortal"/>, the request pipeline in <see cref="UsePortal"/>.</summary>
public static class PortalApplication
{
    public static void AddPortal(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddDevelopmentStack();
        builder.AddPortalStorage();
        builder.AddAuditTrail();
        builder.AddPortalAuthentication();
        builder.AddPortalApi();
        builder.AddTencentPush();
        builder.AddUploads();
        builder.AddProxySupport();
        builder.Services.AddPortalHealthChecks();
        builder.Services.AddAntiforgery(options => options.Cookie.SecurePolicy =
            builder.Environment.IsDevelopment() ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always);
        builder.Services.AddProblemDetails();
        builder.Services.AddMudServices();
        builder.Services.AddPortalLocalization();
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
    }

    /// <summary>Runs every options check registered with <c>ValidateOnStart</c> now, throwing their failures together.</summary>
    public static void ValidateConfiguration(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.Services.GetRequiredService<Microsoft.Extensions.Options.IStartupValidator>().Validate();
    }

    /// <summary>The configuration problems an exception reports, each once; null when it is not about configuration.</summary>
    public static IReadOnlyList<string>? ConfigurationFailures(Exception exception) => exception switch
    {
        Microsoft.Extensions.Options.OptionsValidationException invalid => invalid.Failures.Distinct().ToList(),
        AggregateException aggregate when aggregate.InnerExceptions.All(inner => inner is Microsoft.Extensions.Options.OptionsValidationException) =>
            aggregate.InnerExceptions.Cast<Microsoft.Extensions.Options.OptionsValidationException>().SelectMany(inner => inner.Failures).Distinct().ToList(),
        _ => null,
    };

    /// <summary>Says, once each and without a stack trace, why the portal will not start; the exit code is 1.</summary>
    public static int RefuseToStart(IReadOnlyList<string> failures, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(failures);
        ArgumentNullException.ThrowIfNull(error);
        error.WriteLine("The portal did not start: its configuration needs attention.");
        foreach (var failure in failures)
        {
            error.WriteLine($"  - {failure}");
        }

        return 1;
    }

    public static void UsePortal(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseProxySupport();

        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/error", createScopeForErrors: true);
            app.UseHsts();
        }

        app.UseSecurityHeaders();
        // Before the status-code pages and every endpoint: a not-found page and the circuit's own request speak the reader's language.
        app.UsePortalLocalization();

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
        // Routing after the status-code pages, so that a page re-executed for a 404 (/not-found) finds its endpoint.
        app.UseRouting();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();

        app.MapStaticAssets().AllowAnonymous();
        app.MapPortalHealthChecks();
        app.MapAuthenticationEndpoints();
        app.MapCultureSwitch();
        app.MapUploadEndpoints();
        app.MapAuditExport();
        app.MapPortalApi();
        app.MapDevelopmentStack();
        // The page policy carries frame-ancestors itself: Blazor's own second header would make two policies.
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode(options => options.ContentSecurityFrameAncestorsPolicy = null);
    }
}
