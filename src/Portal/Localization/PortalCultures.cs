using System.Globalization;
using Microsoft.AspNetCore.Localization;

namespace Portal.Localization;

/// <summary>The languages the portal speaks: English (the default) and Simplified Chinese.</summary>
public static class PortalCultures
{
    public const string English = "en";

    public const string SimplifiedChinese = "zh-CN";

    /// <summary>The cookie that remembers a choice made in the app bar (ASP.NET Core's own name and format).</summary>
    public static readonly string CookieName = CookieRequestCultureProvider.DefaultCookieName;

    public static readonly IReadOnlyList<CultureInfo> Supported = [new(English), new(SimplifiedChinese)];

    /// <summary>
    /// The supported culture for a language tag a browser sends, or null: any English is English, and any Chinese
    /// (zh, zh-Hans, zh-SG, and also zh-TW and zh-HK, whose readers read Simplified more easily than English) is Simplified Chinese.
    /// </summary>
    public static string? Match(string? languageTag)
    {
        var primary = languageTag?.Split('-', 2)[0].Trim();
        return primary?.ToLowerInvariant() switch
        {
            "en" => English,
            "zh" => SimplifiedChinese,
            _ => null,
        };
    }

    /// <summary>The name of a culture in its own language, as the switch in the app bar lists it.</summary>
    public static string NativeName(string culture) => culture == SimplifiedChinese ? "简体中文" : "English";
}
