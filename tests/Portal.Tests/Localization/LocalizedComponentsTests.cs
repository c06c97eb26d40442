using Bunit;
using Bunit.TestDoubles;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using Portal.Components;
using Portal.Components.Layout;
using Portal.Localization;
using Portal.Tests.Components;

namespace Portal.Tests.Localization;

/// <summary>The shared pieces both languages use: MudBlazor's own texts, times in the viewer's zone, sizes, the language switch.</summary>
public sealed class LocalizedComponentsTests : PortalComponentTest
{
    [Theory]
    [InlineData("en", "Close")]
    [InlineData("zh-CN", "关闭")]
    public void MudBlazors_own_texts_speak_the_readers_language(string culture, string close)
    {
        UseCulture(culture);

        var cut = Render<MudAlert>(parameters => parameters.Add(alert => alert.ShowCloseIcon, true).Add(alert => alert.CloseIconClicked, _ => { }));

        Assert.Equal(close, cut.Find("button").GetAttribute("aria-label"));
    }

    [Fact]
    public void A_time_shows_in_the_viewers_zone_with_utc_on_hover()
    {
        UseCulture("zh-CN");
        var utc = new DateTime(2026, 12, 2, 8, 15, 3, DateTimeKind.Utc);

        var cut = Render<CascadingValue<ViewerTimeZone>>(parameters => parameters
            .Add(cascade => cascade.Value, ViewerTimeZone.FromId("Asia/Shanghai"))
            .AddChildContent<LocalTime>(time => time.Add(t => t.Utc, utc)));

        var time = cut.Find("time");
        Assert.Equal("2026年12月2日 16:15", time.TextContent);
        Assert.Equal("2026-12-02 08:15:03 UTC", time.GetAttribute("title"));
        Assert.Equal("2026-12-02T08:15:03.000Z", time.GetAttribute("datetime"));
    }

    [Fact]
    public void A_time_before_the_browser_named_its_zone_says_it_is_utc()
    {
        var cut = Render<LocalTime>(parameters => parameters.Add(t => t.Utc, new DateTime(2026, 12, 2, 8, 15, 3, DateTimeKind.Utc)));

        Assert.Equal("2 Dec 2026, 08:15 UTC", cut.Find("time").TextContent);
    }

    [Fact]
    public void A_size_shows_the_exact_bytes_on_hover()
    {
        var cut = Render<ByteSize>(parameters => parameters.Add(size => size.Bytes, 104_857_596));

        Assert.Equal("100 MB", cut.Find("span").TextContent);
        Assert.Equal("104,857,596 bytes", cut.Find("span").GetAttribute("title"));
    }

    [Theory]
    [InlineData("zh-CN", "en", "English")]
    [InlineData("en", "zh-CN", "简体中文")]
    public void The_language_switch_offers_the_other_language_by_its_own_name_and_comes_back_to_the_page(string culture, string other, string name)
    {
        UseCulture(culture);
        var navigation = Services.GetRequiredService<BunitNavigationManager>();
        navigation.NavigateTo("upload?app=Demo");
        var button = Render<CultureSwitch>().Find("[data-testid=culture-switch]");

        Assert.Equal(name, button.TextContent.Trim());
        Assert.Equal(other, button.GetAttribute("lang"));
        button.Click();
        var switched = navigation.History.First();
        Assert.Equal($"culture?set={Uri.EscapeDataString(other)}&returnUrl=%2Fupload%3Fapp%3DDemo", switched.Uri);
        Assert.True(switched.Options.ForceLoad);
    }
}
