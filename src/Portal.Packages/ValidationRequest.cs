using System.Text.Json.Serialization;

namespace Portal.Packages;

/// <summary>What a package holds. Both go to the same Tencent endpoint; only the row rule differs.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<PackageKind>))]
public enum PackageKind
{
    /// <summary>Accounts of 2 to 100 characters.</summary>
    Account,

    /// <summary>Device tokens of exactly 36 characters.</summary>
    Token,
}

/// <summary>
/// What to validate: the name the user uploaded (checked against Tencent's name rules), the package kind, and whether the
/// user says row 1 names the column (it is then left out of the clean package). The re-check of a staged file adds the
/// choices its report offered (<see cref="AccountColumn"/>, <see cref="KeepScientificNotation"/>); both default to what
/// a first check does.
/// </summary>
public sealed record ValidationRequest(string FileName, PackageKind Kind = PackageKind.Account, bool FirstRowIsHeader = false)
{
    /// <summary>
    /// The CSV column (from 1) that holds the accounts, for a file with several (a CRM export): the clean package is that
    /// column alone, and the original cannot be sent. Null: the file must have a single column.
    /// </summary>
    public int? AccountColumn { get; init; }

    /// <summary>
    /// Keep values a spreadsheet turned into scientific notation (1.23457E+15) as accounts. By default they are left out
    /// of the clean package like invalid rows: their digits are lost, so they are almost certainly not the accounts meant.
    /// </summary>
    public bool KeepScientificNotation { get; init; }
}

/// <summary>
/// Files the validator writes while it reads (both in the staging folder; the caller deletes them with the upload): the
/// clean package (.txt or .zip, see <see cref="CleanPackage.Zipped"/>; deleted when there is none) and the full problem
/// report as CSV (line,value,reason), always written.
/// </summary>
public sealed record ValidationOutputs(string CleanPackagePath, string ProblemReportPath);
