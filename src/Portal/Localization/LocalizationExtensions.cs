using System.Text.Encodings.Web;
using System.Text.Unicode;
using Microsoft.AspNetCore.Localization;
using MudBlazor;
using Portal.Auth;

namespace Portal.Localization;

/// <summary>
/// English and Simplified Chinese: the culture comes from the cookie the app bar's switch sets, else from the browser's
/// Accept-Language, else English. Texts live in resource files per area (src/Portal/Resources), read through
/// <c>IStringLocalizer&lt;T&gt;</c>; MudBlazor's own texts through <see cref="PortalMudLocalizer"/>.
/// </summary>
public static class LocalizationExtensions
{
    public const string CultureRoute = "/culture";

    public static IServiceCollection AddPortalLocalization(this IServiceCollection services)
    {
        services.AddLocalization();
        // Chinese text as it is in the page, not as numeric character references (six times the bytes); markup characters are still encoded.
        services.AddWebEncoders(options => options.TextEncoderSettings = new TextEncoderSettings(UnicodeRanges.All));
        services.AddTransient<MudLocalizer, PortalMudLocalizer>();
        services.AddSingleton<Formats>();
        services.Configure<RequestLocalizationOptions>(options =>
        {
            options.DefaultRequestCulture = new RequestCulture(PortalCultures.English);
            options.SupportedCultures = [.. PortalCultures.Supported];
            options.SupportedUICultures = [.. PortalCultures.Supported];
            options.RequestCultureProviders = [new CookieRequestCultureProvider(), new BrowserLanguageCultureProvider()];
        });
        return services;
    }

    public static void UsePortalLocalization(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseRequestLocalization();
    }

    /// <summary>
    /// <c>GET /culture?set=zh-CN&amp;returnUrl=/upload</c>: remembers the language for a year and goes back to the page, which
    /// the browser then loads afresh (a new circuit in the new culture). An unknown culture changes nothing.
    /// </summary>
    public static void MapCultureSwitch(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(CultureRoute, (string? set, string? returnUrl, HttpContext context, IHostEnvironment environment) =>
        {
            if (PortalCultures.Supported.FirstOrDefault(culture => culture.Name == set) is { } culture)
            {
                context.Response.Cookies.Append(PortalCultures.CookieName, CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(culture)), new CookieOptions
                {
                    MaxAge = TimeSpan.FromDays(365),
                    HttpOnly = true,
                    IsEssential = true,
                    SameSite = SameSiteMode.Lax,
                    Secure = !environment.IsDevelopment() || context.Request.IsHttps,
                });
            }

            return Results.LocalRedirect(ReturnUrl.LocalOrRoot(returnUrl));
        }).AllowAnonymous();
    }

    /// <summary>The address that switches to <paramref name="culture"/> and comes back to <paramref name="returnUrl"/>.</summary>
    public static string SwitchUrl(string culture, string returnUrl) =>
        $"{CultureRoute.TrimStart('/')}?set={Uri.EscapeDataString(culture)}&returnUrl={Uri.EscapeDataString(returnUrl)}";
}
