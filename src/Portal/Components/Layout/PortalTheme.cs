using MudBlazor;

namespace Portal.Components.Layout;

internal static class PortalTheme
{
    public static readonly MudTheme Theme = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#0052D9",
            AppbarBackground = "#0052D9",
            // MudBlazor's own greens, oranges, blues and reds fail WCAG AA (4.5:1) as white text on them and as text on
            // their light tints (chips, alerts); these darker shades pass both.
            Success = "#1B6E2F",
            Warning = "#8F4700",
            Info = "#0B63C4",
            Error = "#B71C1C",
        },
    };
}
