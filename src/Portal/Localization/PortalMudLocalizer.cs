using Microsoft.Extensions.Localization;
using MudBlazor;
using Portal.Resources;

namespace Portal.Localization;

/// <summary>
/// MudBlazor's own texts (pager, date picker, close buttons…) in the portal's languages. MudBlazor asks only for
/// cultures other than English, and uses its built-in English for any key not found here.
/// </summary>
internal sealed class PortalMudLocalizer(IStringLocalizer<MudBlazorText> text) : MudLocalizer
{
    public override LocalizedString this[string key] => text[key];

    public override LocalizedString this[string key, params object[] arguments] => text[key, arguments];
}
