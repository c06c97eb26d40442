using System.Globalization;

namespace Portal.Localization;

/// <summary>
/// The language a component was first rendered in. A change announced by another part of the portal (the send worker,
/// an integrity check) runs its handler in that part's culture; the handler applies this one before rendering again, so
/// a page opened in Chinese stays in Chinese when a send finishes.
/// </summary>
public sealed record ReaderCulture(CultureInfo Culture, CultureInfo UICulture)
{
    public static ReaderCulture Current => new(CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);

    /// <summary>Runs <paramref name="work"/> in this culture; as an async method, the change ends with it.</summary>
    public async Task RunAsync(Func<Task> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        CultureInfo.CurrentCulture = Culture;
        CultureInfo.CurrentUICulture = UICulture;
        await work();
    }
}
