using System.Globalization;
using Portal.Packages;

namespace Portal.Uploads;

/// <summary>
/// The choices a report offers for checking the staged file again: row 1 is a header, the CSV column that holds the
/// accounts (from 1; null: the file must have one column), and whether values in scientific notation are kept.
/// </summary>
public sealed record RecheckOptions(bool HeaderRow, int? AccountColumn = null, bool KeepScientificNotation = false)
{
    /// <summary>The same choices as the audit trail's upload state keeps them: "header row; column 3; scientific notation kept".</summary>
    public string Text => string.Join("; ", new[]
    {
        HeaderRow ? "header row" : "no header row",
        AccountColumn is { } column ? string.Create(CultureInfo.InvariantCulture, $"column {column}") : null,
        KeepScientificNotation ? "scientific notation kept" : null,
    }.OfType<string>());

    /// <summary>What the validator is asked for the upload's file and kind with these choices.</summary>
    public ValidationRequest For(UploadRecord upload)
    {
        ArgumentNullException.ThrowIfNull(upload);
        return new ValidationRequest(upload.FileName, Enum.Parse<PackageKind>(upload.PackageKind), HeaderRow)
        {
            AccountColumn = AccountColumn,
            KeepScientificNotation = KeepScientificNotation,
        };
    }
}
