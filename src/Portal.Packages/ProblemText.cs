using static System.FormattableString;

namespace Portal.Packages;

/// <summary>The plain words for row problems: a full message for the listed ones, a short reason for the problem report.</summary>
internal static class ProblemText
{
    public static string Row(ProblemReason reason, long detail, PackageKind kind) => reason switch
    {
        ProblemReason.TooShort or ProblemReason.TooLong or ProblemReason.WrongTokenLength =>
            Invariant($"is {detail:N0} character{(detail == 1 ? "" : "s")} long; {LengthRule(kind)}."),
        ProblemReason.MultipleColumns => Invariant($"has {detail} columns; Tencent accepts a CSV with exactly one column."),
        ProblemReason.MissingColumn => Invariant($"has no column {detail}, the one chosen for the accounts."),
        _ => Reason(reason, kind) + ".",
    };

    public static string Reason(ProblemReason reason, PackageKind kind) => reason switch
    {
        ProblemReason.HeaderRow => "is the header row: it is left out of the clean package",
        ProblemReason.Blank => "is blank: it is left out of the clean package",
        ProblemReason.SurroundingWhitespace => "has white space around the value: the clean package trims it",
        ProblemReason.InvalidEncoding => "is not valid text in the file's encoding (Tencent requires UTF-8)",
        ProblemReason.MultipleColumns => "has more than one column; Tencent accepts a CSV with exactly one column",
        ProblemReason.MalformedQuotes => "has a stray or unclosed quote (a CSV value in quotes must end with a quote before the next comma)",
        ProblemReason.ControlCharacter => "contains a control character (such as a tab or NUL), which an account cannot hold",
        ProblemReason.TooShort or ProblemReason.TooLong or ProblemReason.WrongTokenLength => LengthRule(kind),
        ProblemReason.MissingColumn => "has fewer columns than the one chosen for the accounts",
        ProblemReason.ScientificNotation => "looks like a number a spreadsheet turned into scientific notation, its digits lost: it is left out of the clean package",
        _ => reason.ToString(),
    };

    /// <summary>Why a duplicate row is in the problem report.</summary>
    public const string Duplicate = "repeats an account of an earlier row: the clean package holds it once";

    public static ProblemReason? LengthProblem(int length, PackageKind kind) => kind switch
    {
        PackageKind.Token when length != PackageRules.TokenLength => ProblemReason.WrongTokenLength,
        PackageKind.Account when length < PackageRules.MinAccountLength => ProblemReason.TooShort,
        PackageKind.Account when length > PackageRules.MaxAccountLength => ProblemReason.TooLong,
        _ => null,
    };

    private static string LengthRule(PackageKind kind) => kind == PackageKind.Token
        ? $"a token must be exactly {PackageRules.TokenLength} characters"
        : $"an account must be {PackageRules.MinAccountLength} to {PackageRules.MaxAccountLength} characters";
}
