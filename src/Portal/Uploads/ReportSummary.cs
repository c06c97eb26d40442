using Microsoft.Extensions.Localization;
using Portal.Localization;
using Portal.Packages;

namespace Portal.Uploads;

/// <summary>
/// The one line that says what a check found and what will be sent, and adds up to the rows of the file:
/// "19 rows: 11 accounts will be sent · 3 invalid · 2 duplicates · 3 blank".
/// </summary>
public static class ReportSummary
{
    public static string Line(IStringLocalizer text, ValidationReport report, string variant)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(report);
        var clean = variant == SendVariant.Clean ? report.CleanPackage : null;
        // The original goes out with its duplicates, so they count among the accounts sent; the clean package leaves them out.
        var sent = clean?.AccountCount ?? (report.OriginalSendable ? report.ValidCount : 0);
        var duplicates = clean is null ? 0 : report.ValidCount - clean.AccountCount;
        var headerRows = report.RowCount - report.ValidCount - report.InvalidCount - report.BlankRowCount;
        string[] parts =
        [
            sent > 0 ? text.Plural("WillBeSent", sent) : text["NothingToSend"],
            .. Part(text, "Invalid", report.InvalidCount),
            .. Part(text, "Duplicates", duplicates),
            .. Part(text, "Blank", report.BlankRowCount),
            .. Part(text, "HeaderRows", headerRows),
        ];
        return text.Plural("Summary", report.RowCount, string.Join(" · ", parts));
    }

    private static IEnumerable<string> Part(IStringLocalizer text, string key, long count) =>
        count > 0 ? [text.Plural(key, count)] : [];
}
