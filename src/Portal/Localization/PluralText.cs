using System.Globalization;
using Microsoft.Extensions.Localization;

namespace Portal.Localization;

/// <summary>
/// Plural forms by CLDR category: a text with a count has a key per category its languages need, "Key_one" and
/// "Key_other" in English, "Key_other" alone in Chinese (which has no plural forms). The count is argument {0}, formatted
/// for the culture; further arguments follow it.
/// </summary>
public static class PluralText
{
    public static LocalizedString Plural(this IStringLocalizer text, string key, long count, params object[] arguments)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(arguments);
        return text[$"{key}_{Category(count, CultureInfo.CurrentUICulture)}", [count.ToString("N0", CultureInfo.CurrentCulture), .. arguments]];
    }

    /// <summary>The CLDR plural category of a whole number in <paramref name="culture"/>'s language: "one" or "other".</summary>
    public static string Category(long count, CultureInfo culture)
    {
        ArgumentNullException.ThrowIfNull(culture);
        return culture.TwoLetterISOLanguageName switch
        {
            "zh" => "other",
            _ => count == 1 ? "one" : "other",
        };
    }
}
