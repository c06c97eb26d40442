using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;
using Portal.Packages;
using Portal.Resources;
using Portal.Tests.Components;
using Portal.Uploads;

namespace Portal.Tests.Uploads;

/// <summary>The one-line summary of a check adds up to the file's rows and names what will be sent, with plurals in each language.</summary>
public sealed class ReportSummaryTests : PortalComponentTest
{
    [Theory]
    [InlineData("en", SendVariant.Clean, "19 rows: 11 accounts will be sent · 3 invalid · 2 duplicates · 3 blank")]
    [InlineData("en", SendVariant.Original, "19 rows: nothing can be sent · 3 invalid · 3 blank")]
    [InlineData("zh-CN", SendVariant.Clean, "19 行：将发送 11 个账号 · 3 个无效 · 2 个重复 · 3 个空行")]
    public void A_file_with_problems_adds_up_to_its_rows(string culture, string variant, string expected)
    {
        UseCulture(culture);

        Assert.Equal(expected, ReportSummary.Line(Text, Report(rows: 19, valid: 13, invalid: 3, blank: 3, clean: 11, originalSendable: false), variant));
    }

    [Theory]
    [InlineData("en", "1 row: 1 account will be sent")]
    [InlineData("zh-CN", "1 行：将发送 1 个账号")]
    public void One_of_each_is_singular_where_the_language_has_a_singular(string culture, string expected)
    {
        UseCulture(culture);

        Assert.Equal(expected, ReportSummary.Line(Text, Report(rows: 1, valid: 1, invalid: 0, blank: 0, clean: null, originalSendable: true), SendVariant.Original));
    }

    [Fact]
    public void The_original_sent_with_its_duplicates_counts_them_among_the_accounts_sent_and_a_header_row_is_counted()
    {
        var report = Report(rows: 191, valid: 190, invalid: 0, blank: 0, clean: 150, originalSendable: true);

        Assert.Equal("191 rows: 190 accounts will be sent · 1 header row", ReportSummary.Line(Text, report, SendVariant.Original));
        Assert.Equal("191 rows: 150 accounts will be sent · 40 duplicates · 1 header row", ReportSummary.Line(Text, report, SendVariant.Clean));
    }

    private IStringLocalizer<UploadsText> Text => Services.GetRequiredService<IStringLocalizer<UploadsText>>();

    private static ValidationReport Report(long rows, long valid, long invalid, long blank, long? clean, bool originalSendable) => new()
    {
        FileName = "list.txt",
        Kind = PackageKind.Account,
        OriginalSendable = originalSendable,
        CleanPackage = clean is { } accounts ? new CleanPackage("list.clean.txt", accounts * 8, new string('c', 64), accounts, Zipped: false) : null,
        RowCount = rows,
        ValidCount = valid,
        InvalidCount = invalid,
        InvalidByReason = new Dictionary<ProblemReason, long>(),
        DuplicateCount = clean is { } unique ? valid - unique : 0,
        BlankRowCount = blank,
        ProblemCount = invalid,
        Problems = [],
        Warnings = [],
        Duplicates = [],
        Preview = [],
    };
}
