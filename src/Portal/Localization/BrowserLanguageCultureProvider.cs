using Microsoft.AspNetCore.Localization;

namespace Portal.Localization;

/// <summary>
/// The first language of the browser's Accept-Language (by preference) that the portal speaks. ASP.NET Core's own
/// provider matches tags exactly or by parent, so "zh" or "zh-Hans-CN" would never find "zh-CN"; this one matches by language.
/// </summary>
internal sealed class BrowserLanguageCultureProvider : RequestCultureProvider
{
    public override Task<ProviderCultureResult?> DetermineProviderCultureResult(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var languages = httpContext.Request.GetTypedHeaders().AcceptLanguage;
        var culture = languages
            .Where(language => language.Quality is not 0)
            .OrderByDescending(language => language.Quality ?? 1)
            .Select(language => PortalCultures.Match(language.Value.Value))
            .FirstOrDefault(match => match is not null);
        return Task.FromResult(culture is null ? null : new ProviderCultureResult(culture));
    }
}
