using System.Text.Json;
using Portal.Packages;

namespace Portal.Tests.Packages;

public sealed class ReportTests : IDisposable
{
    private readonly PackageWorkspace _workspace = new();

    public void Dispose() => _workspace.Dispose();

    [Fact]
    public void Only_the_first_hundred_problems_are_listed_but_all_are_counted_and_written()
    {
        var result = _workspace.Validate("accounts.txt", string.Concat(Enumerable.Repeat("x\n", 250)) + "ok\n");

        Assert.Equal(250, result.Report.ProblemCount);
        Assert.Equal(250, result.Report.InvalidCount);
        Assert.Equal(PackageRules.MaxListedProblems, result.Report.Problems.Count);
        Assert.Equal(250, result.ProblemReportRows.Count);
        Assert.Equal("250,x,an account must be 2 to 100 characters", result.ProblemReportRows[^1]);
    }

    [Fact]
    public void The_problem_report_escapes_formulas_and_quotes()
    {
        var result = _workspace.Validate("accounts.csv", "=1+2,x\n\"@a,b\",c\n-x,y\n");

        Assert.Equal(
            ["1,\"'=1+2,x\",has more than one column; Tencent accepts a CSV with exactly one column", "2,\"\"\"@a,b\"\",c\",has more than one column; Tencent accepts a CSV with exactly one column", "3,\"'-x,y\",has more than one column; Tencent accepts a CSV with exactly one column", ",,'accounts.csv' holds no valid account."],
            result.ProblemReportRows);
        Assert.Equal([0xEF, 0xBB, 0xBF, .. "line,value,reason\n"u8], File.ReadAllBytes(_workspace.ProblemReportPath)[..21]);
    }

    [Fact]
    public void The_problem_report_holds_whole_values_every_duplicate_and_the_warnings()
    {
        var long150 = new string('x', 140) + "张伟张伟张伟张伟张伟";
        var content = $"alice\n{long150}\nbob\nalice\n-5x\nbob\nalice\n";

        var result = _workspace.Validate("accounts.txt", content);

        Assert.Equal(
        [
            $"2,{long150},an account must be 2 to 100 characters",
            "4,alice,repeats an account of an earlier row: the clean package holds it once",
            "6,bob,repeats an account of an earlier row: the clean package holds it once",
            "7,alice,repeats an account of an earlier row: the clean package holds it once",
            ",,\"warning: 1 accounts start with =, +, - or @, which spreadsheets read as a formula; check they are meant so. The problem report escapes them. (lines 5)\"",
        ], result.ProblemReportRows);
        Assert.EndsWith("…", result.Report.Problems[0].Value, StringComparison.Ordinal);
    }

    [Fact]
    public void A_warning_with_more_rows_than_its_examples_says_so()
    {
        var content = string.Concat(Enumerable.Range(0, 7).Select(i => $"=f{i}\n"));

        var result = _workspace.Validate("accounts.txt", content);

        Assert.EndsWith("(lines 1, 2, 3, 4, 5, …)\"", result.ProblemReportRows[^1], StringComparison.Ordinal);
    }

    [Fact]
    public void The_report_round_trips_through_json_with_web_defaults()
    {
        var report = _workspace.Validate("accounts.txt", "alice\nb\nalice\n").Report;

        var json = JsonSerializer.Serialize(report, JsonSerializerOptions.Web);
        var back = JsonSerializer.Deserialize<ValidationReport>(json, JsonSerializerOptions.Web)!;

        Assert.Contains("\"invalidByReason\":{\"TooShort\":1}", json, StringComparison.Ordinal);
        Assert.Contains("\"reason\":\"TooShort\"", json, StringComparison.Ordinal);
        Assert.Contains("\"summary\":\"not sendable as is: 3 rows", json, StringComparison.Ordinal);
        Assert.DoesNotContain("isAccepted", json, StringComparison.Ordinal);
        Assert.Equal(report.Problems, back.Problems);
        Assert.Equal(report.Duplicates, back.Duplicates);
        Assert.Equal(report.CleanPackage, back.CleanPackage);
        Assert.Equal(report.InvalidByReason, back.InvalidByReason);
    }

    [Fact]
    public void The_summary_is_one_line_for_the_audit_trail()
    {
        var report = _workspace.Validate("accounts.txt", "alice\nb\nalice\n").Report;

        Assert.Matches(
            "^not sendable as is: 3 rows, 2 valid, 1 invalid, 0 blank, 1 duplicates, 1 problems \\(first: line 2: is 1 character long; an account must be 2 to 100 characters\\.\\); clean package accounts\\.clean\\.txt with 1 accounts, 6 bytes, SHA-256 [0-9a-f]{64}$",
            report.Summary);
    }

    [Theory]
    [InlineData("accounts.xlsx", ProblemReason.FileType, "'accounts.xlsx' is not a .zip, .txt, .csv file.")]
    [InlineData("", ProblemReason.FileNameLength, "The file has no name; Tencent accepts names of 1 to 100 characters.")]
    public void File_names_are_checked(string fileName, ProblemReason reason, string message)
    {
        var problem = _workspace.Validate(fileName, "alice\n").Report.Problems[0];

        Assert.Equal((reason, message), (problem.Reason, problem.Message));
    }
}
