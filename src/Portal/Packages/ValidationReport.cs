namespace Portal.Packages;

/// <summary>One thing wrong with a package. <see cref="LineNumber"/> is 1-based and null for problems of the whole file.</summary>
public sealed record PackageProblem(long? LineNumber, string Message)
{
    public override string ToString() => LineNumber is { } line ? $"Line {line}: {Message}" : Message;
}

/// <summary>The verdict on one package: whether Tencent would accept it, and why not.</summary>
public sealed record ValidationReport(
    long RowCount,
    IReadOnlyList<PackageProblem> Problems,
    long ProblemCount,
    IReadOnlyList<string> Preview)
{
    public bool IsAccepted => ProblemCount == 0;

    /// <summary>One line for lists and the audit trail.</summary>
    public string Summary => IsAccepted
        ? $"{RowCount} accounts, no problems"
        : $"{ProblemCount} problem(s); first: {Problems[0]}";

    public static ValidationReport Rejected(string message) => new(0, [new PackageProblem(null, message)], 1, []);
}
