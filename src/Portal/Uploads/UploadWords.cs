using System.Globalization;
using System.Resources;
using Portal.Resources;

namespace Portal.Uploads;

/// <summary>
/// The words <see cref="UploadService"/> answers with (UploadsText.resx), in the language of the page or request that asked:
/// the service runs in the reader's culture, so it reads its resources itself instead of taking a localizer.
/// </summary>
internal static class UploadWords
{
    private static readonly ResourceManager Resources = new($"{typeof(UploadsText).Namespace}.{nameof(UploadsText)}", typeof(UploadsText).Assembly);

    public static string Get(string key, params object[] arguments) =>
        string.Format(CultureInfo.CurrentCulture, Resources.GetString(key, CultureInfo.CurrentUICulture)
            ?? throw new InvalidOperationException($"UploadsText has no '{key}'."), arguments);
}
