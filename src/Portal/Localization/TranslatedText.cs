using Microsoft.Extensions.Localization;

namespace Portal.Localization;

/// <summary>
/// Texts whose English words come from elsewhere (the validator's messages, Tencent's advice): other languages translate
/// them by their code in a resource file, and a language without a translation shows the original English words.
/// </summary>
public static class TranslatedText
{
    public static string OrOriginal(this IStringLocalizer text, string key, string original, params object[] arguments)
    {
        ArgumentNullException.ThrowIfNull(text);
        var translated = text[key, arguments];
        return translated.ResourceNotFound ? original : translated.Value;
    }
}
