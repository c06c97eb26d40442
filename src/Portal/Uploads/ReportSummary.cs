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
        ArgumentNullException.ThrowIfNull(report);
        return Line(text, new Counts(report.RowCount, report.ValidCount, report.InvalidCount, report.BlankRowCount,
            report.OriginalSendable, report.CleanPackage?.AccountCount), variant);
    }

    /// <summary>
    /// The same line from the counts an upload recorded, in the reader's language whatever language it was checked in;
    /// null for an upload recorded before blank rows were counted.
    /// </summary>
    public static string? Line(IStringLocalizer text, UploadRecord upload, string variant)
    {
        ArgumentNullException.ThrowIfNull(upload);
        return upload.BlankRowCount is { } blank
            ? Line(text, new Counts(upload.RowCount, upload.ValidCount, upload.InvalidCount, blank, upload.OriginalSendable, upload.CleanAccountCount), variant)
            : null;
    }

    private static string Line(IStringLocalizer text, Counts counts, string variant)
    {
        ArgumentNullException.ThrowIfNull(text);
        var clean = variant == SendVariant.Clean ? counts.CleanAccounts : null;
        // The original goes out with its duplicates, so they count among the accounts sent; the clean package leaves them out.
        var sent = clean ?? (counts.OriginalSendable ? counts.Valid : 0);
        var duplicates = clean is null ? 0 : counts.Valid - clean.Value;
        var headerRows = counts.Rows - counts.Valid - counts.Invalid - counts.Blank;
        string[] parts =
        [
            sent > 0 ? text.Plural("WillBeSent", sent) : text["NothingToSend"],
            .. Part(text, "Invalid", counts.Invalid),
            .. Part(text, "Duplicates", duplicates),
            .. Part(text, "Blank", counts.Blank),
            .. Part(text, "HeaderRows", headerRows),
        ];
        return text.Plural("Summary", counts.Rows, string.Join(" · ", parts));
    }

    private static IEnumerable<string> Part(IStringLocalizer text, string key, long count) =>
        count > 0 ? [text.Plural(key, count)] : [];

    private sealed record Counts(long Rows, long Valid, long Invalid, long Blank, bool OriginalSendable, long? CleanAccounts);
}
