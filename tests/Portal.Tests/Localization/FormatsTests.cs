using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;
using Portal.Localization;
using Portal.Resources;

namespace Portal.Tests.Localization;

/// <summary>Sizes, durations, counts and times in each language, from the portal's own resource files.</summary>
public sealed class FormatsTests : IDisposable
{
    private readonly ServiceProvider _services = new ServiceCollection().AddLogging().AddPortalLocalization().BuildServiceProvider();
    private readonly CultureInfo _culture = CultureInfo.CurrentCulture;
    private readonly CultureInfo _uiCulture = CultureInfo.CurrentUICulture;

    private Formats Format => _services.GetRequiredService<Formats>();

    [Theory]
    [InlineData("en", 1, "1 byte")]
    [InlineData("en", 1023, "1,023 bytes")]
    [InlineData("en", 104_857_596, "100 MB")]
    [InlineData("en", 103_077_478, "98.3 MB")]
    [InlineData("en", 1_500, "1.5 KB")]
    [InlineData("en", 2_147_483_648, "2 GB")]
    [InlineData("zh-CN", 1, "1 字节")]
    [InlineData("zh-CN", 999, "999 字节")]
    [InlineData("zh-CN", 103_077_478, "98.3 MB")]
    public void A_size_reads_as_people_say_it(string culture, long bytes, string expected)
    {
        Use(culture);

        Assert.Equal(expected, Format.Size(bytes));
    }

    [Theory]
    [InlineData("en", 104_857_596, "104,857,596 bytes")]
    [InlineData("zh-CN", 104_857_596, "104,857,596 字节")]
    public void The_exact_count_of_bytes_is_grouped_for_the_culture(string culture, long bytes, string expected)
    {
        Use(culture);

        Assert.Equal(expected, Format.ExactBytes(bytes));
    }

    [Theory]
    [InlineData("en", 0.4, "less than a second")]
    [InlineData("en", 4.2, "5 s")]
    [InlineData("en", 61, "2 min")]
    [InlineData("en", 5400, "1.5 h")]
    [InlineData("zh-CN", 0.4, "不到 1 秒")]
    [InlineData("zh-CN", 4.2, "5 秒")]
    [InlineData("zh-CN", 61, "2 分钟")]
    public void A_time_left_rounds_up(string culture, double seconds, string expected)
    {
        Use(culture);

        Assert.Equal(expected, Format.Duration(TimeSpan.FromSeconds(seconds)));
    }

    [Theory]
    [InlineData("en", 0.999, "99%")]
    [InlineData("zh-CN", 0.5, "50%")]
    public void A_share_rounds_down(string culture, double fraction, string expected)
    {
        Use(culture);

        Assert.Equal(expected, Formats.Percent(fraction));
    }

    [Theory]
    [InlineData("en", 1, "one")]
    [InlineData("en", 0, "other")]
    [InlineData("en", 2, "other")]
    [InlineData("zh-CN", 1, "other")]
    public void Plural_categories_follow_the_language(string culture, long count, string expected) =>
        Assert.Equal(expected, PluralText.Category(count, CultureInfo.GetCultureInfo(culture)));

    [Fact]
    public void A_counted_text_takes_the_form_for_its_count()
    {
        Use("en");
        var text = _services.GetRequiredService<IStringLocalizer<CommonText>>();

        Assert.Equal("1 byte", text.Plural("Bytes", 1));
        Assert.Equal("1,234 bytes", text.Plural("Bytes", 1234));
    }

    [Fact]
    public void A_time_shows_in_the_viewers_zone_in_their_language()
    {
        var utc = new DateTime(2026, 12, 2, 8, 15, 3, DateTimeKind.Utc);
        var shanghai = ViewerTimeZone.FromId("Asia/Shanghai");

        Use("en");
        Assert.Equal("2 Dec 2026, 16:15", Format.Time(utc, shanghai));
        Assert.Equal("2 Dec 2026, 16:15:03", Format.Time(utc, shanghai, seconds: true));
        Assert.Equal("2 Dec 2026, 08:15 UTC", Format.Time(utc, ViewerTimeZone.Unknown));
        Use("zh-CN");
        Assert.Equal("2026年12月2日 16:15", Format.Time(utc, shanghai));
        Assert.Equal("2026-12-02 08:15:03 UTC", Formats.Utc(utc));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Mars/Olympus_Mons")]
    [InlineData("../../etc/passwd")]
    public void A_zone_the_machine_does_not_know_is_utc_and_said_so(string? id)
    {
        var zone = ViewerTimeZone.FromId(id);

        Assert.False(zone.Known);
        Assert.Equal(TimeZoneInfo.Utc, zone.Zone);
    }

    public void Dispose()
    {
        CultureInfo.CurrentCulture = _culture;
        CultureInfo.CurrentUICulture = _uiCulture;
        _services.Dispose();
    }

    private static void Use(string culture) => CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(culture);
}
