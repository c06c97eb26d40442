using System.Text;
using Portal.Packages;

namespace Portal.Tests.Packages;

public sealed class RowRuleTests : IDisposable
{
    private readonly PackageWorkspace _workspace = new();

    public void Dispose() => _workspace.Dispose();

    [Theory]
    [InlineData("张伟", 2)]
    [InlineData("😀😀", 2)]
    [InlineData("👨‍👩‍👧", 5)]
    [InlineData("é", 1)]
    public void Accounts_are_measured_in_code_points(string account, int codePoints)
    {
        var result = _workspace.Validate("accounts.txt", account + "\n");

        Assert.Equal(codePoints >= 2, result.Report.ValidCount == 1);
        if (codePoints < 2)
        {
            Assert.Equal($"is {codePoints} character long; an account must be 2 to 100 characters.", result.Report.Problems[0].Message);
        }
    }

    [Fact]
    public void Hundred_chinese_characters_or_emoji_are_the_limit()
    {
        var result = _workspace.Validate("accounts.txt", $"{new string('张', 100)}\n{string.Concat(Enumerable.Repeat("😀", 100))}\n{new string('张', 101)}\n");

        Assert.Equal(2, result.Report.ValidCount);
        Assert.Equal((3L, ProblemReason.TooLong), (result.Report.Problems[0].LineNumber!.Value, result.Report.Problems[0].Reason));
    }

    [Fact]
    public void Surrounding_white_space_is_reported_and_trimmed_in_the_clean_package()
    {
        var result = _workspace.Validate("accounts.txt", " alice\nbob\t\n\u3000carol\u00A0\n");

        Assert.False(result.Report.OriginalSendable);
        Assert.Equal(3, result.Report.ValidCount);
        Assert.Equal(["␠alice", "bob␉", "<U+3000>carol<U+00A0>"], result.Report.Problems.Select(problem => problem.Value));
        Assert.All(result.Report.Problems, problem => Assert.Equal(ProblemReason.SurroundingWhitespace, problem.Reason));
        Assert.Equal(["alice", "bob", "carol"], result.CleanAccounts);
    }

    [Fact]
    public void Control_characters_inside_an_account_make_it_invalid_and_visible()
    {
        var result = _workspace.Validate("accounts.txt", "ali\u0000ce\nbo\tb\nok\n");

        Assert.Equal(["ali␀ce", "bo␉b"], result.Report.Problems.Select(problem => problem.Value));
        Assert.All(result.Report.Problems, problem => Assert.Equal(ProblemReason.ControlCharacter, problem.Reason));
        Assert.Equal(["ok"], result.CleanAccounts);
    }

    [Fact]
    public void Token_packages_need_exactly_36_characters()
    {
        var token = "0123456789abcdef0123456789abcdef0123";
        var result = _workspace.Validate("tokens.txt", $"{token}\n{token[..35]}\nab\n", PackageKind.Token);

        Assert.Equal(1, result.Report.ValidCount);
        Assert.Equal(
            [(2L, ProblemReason.WrongTokenLength, "is 35 characters long; a token must be exactly 36 characters."), (3L, ProblemReason.WrongTokenLength, "is 2 characters long; a token must be exactly 36 characters.")],
            result.Report.Problems.Select(problem => (problem.LineNumber!.Value, problem.Reason, problem.Message)));
        Assert.Equal(PackageKind.Token, result.Report.Kind);
    }

    [Fact]
    public void Duplicates_are_counted_listed_with_their_first_line_and_left_out()
    {
        var result = _workspace.Validate("accounts.txt", "alice\nbob\nalice\ncarol\nbob\nalice\n");

        Assert.True(result.Report.OriginalSendable);
        Assert.Equal(3, result.Report.DuplicateCount);
        Assert.Equal([new DuplicateAccount("alice", 1, 3), new DuplicateAccount("bob", 2, 5), new DuplicateAccount("alice", 1, 6)], result.Report.Duplicates);
        Assert.Equal(["alice", "bob", "carol"], result.CleanAccounts);
        Assert.Equal(3, result.Report.CleanPackage!.AccountCount);
    }

    [Fact]
    public void Header_row_is_left_out_when_the_user_says_so()
    {
        var result = _workspace.Validate("accounts.csv", "account\nalice\n", firstRowIsHeader: true);

        Assert.Equal(2, result.Report.RowCount);
        Assert.Equal(1, result.Report.ValidCount);
        Assert.Equal(ProblemReason.HeaderRow, result.SingleProblem.Reason);
        Assert.Equal(["alice"], result.CleanAccounts);
    }

    [Fact]
    public void Csv_quotes_that_do_not_close_are_reported()
    {
        var result = _workspace.Validate("accounts.csv", "\"alice\nbo\"b\n\"carol\"x\nok\n");

        Assert.Equal([1L, 2L, 3L], result.Report.Problems.Select(problem => problem.LineNumber!.Value));
        Assert.All(result.Report.Problems, problem => Assert.Equal(ProblemReason.MalformedQuotes, problem.Reason));
        Assert.Equal(["ok"], result.CleanAccounts);
    }

    [Fact]
    public void Tab_separated_csv_is_named_as_such()
    {
        var result = _workspace.Validate("accounts.csv", "alice\tx\nbob\ty\n");

        Assert.Equal("\t", result.Report.Delimiter);
        Assert.All(result.Report.Problems.Where(problem => problem.LineNumber is not null), problem => Assert.Equal(ProblemReason.MultipleColumns, problem.Reason));
    }

    [Fact]
    public void A_comma_in_a_txt_file_is_part_of_the_account()
    {
        var result = _workspace.Validate("accounts.txt", "smith,john\n");

        Assert.True(result.Report.OriginalSendable);
        Assert.Equal(["smith,john"], result.Report.Preview);
    }

    private static readonly string DamagedBySpreadsheet = string.Join('\n',
        Enumerable.Range(0, 20).Select(i => $"138000000{i:D2}").Concat(["1.38E+10", "=cmd|' /C calc'!A0", "38000001", "+8613800000001"])) + "\n";

    [Fact]
    public void Spreadsheet_damage_is_warned_about_with_example_lines_when_kept()
    {
        var result = _workspace.Validate(new ValidationRequest("accounts.txt") { KeepScientificNotation = true }, DamagedBySpreadsheet);

        Assert.True(result.Report.OriginalSendable);
        Assert.Equal(
            [(WarningKind.ScientificNotation, 1L, new long[] { 21 }), (WarningKind.LostLeadingZeros, 1L, [23]), (WarningKind.FormulaPrefix, 2L, [22, 24])],
            result.Report.Warnings.Select(warning => (warning.Kind, warning.Count, warning.ExampleLines.ToArray())));
        Assert.Equal("1 numeric accounts are shorter than the 11 digits most have: a spreadsheet may have dropped their leading zeros. Export the column as text.", result.Report.Warnings[1].Message);
    }

    [Fact]
    public void Values_in_scientific_notation_are_left_out_of_the_clean_package_by_default()
    {
        var result = _workspace.Validate("accounts.txt", DamagedBySpreadsheet + "1.23457E+15\n");

        Assert.False(result.Report.OriginalSendable);
        Assert.Equal([(21L, "1.38E+10"), (25L, "1.23457E+15")], result.Report.Problems.Select(problem => (problem.LineNumber!.Value, problem.Value!)));
        Assert.All(result.Report.Problems, problem => Assert.Equal(ProblemReason.ScientificNotation, problem.Reason));
        Assert.Equal(2, result.Report.InvalidCount);
        Assert.Equal(2, result.Report.InvalidByReason[ProblemReason.ScientificNotation]);
        Assert.DoesNotContain(result.Report.Warnings, warning => warning.Kind == WarningKind.ScientificNotation);
        Assert.Equal(23, result.Report.CleanPackage!.AccountCount);
        Assert.DoesNotContain("1.38E+10", result.CleanAccounts);
        Assert.Contains("21,1.38E+10,looks like a number a spreadsheet turned into scientific notation, its digits lost: it is left out of the clean package", result.ProblemReportRows);
    }

    [Fact]
    public void Invalid_utf8_is_reported_with_its_line_and_shown_as_bytes()
    {
        var content = Encoding.UTF8.GetBytes("alice\nbob\n").Concat(new byte[] { (byte)'c', 0xC3, 0x28, (byte)'\n' }).Concat(Encoding.UTF8.GetBytes("张伟\n")).ToArray();

        var result = _workspace.Validate("accounts.txt", content);

        Assert.Equal("UTF-8", result.Report.DetectedEncoding);
        Assert.Equal((3L, ProblemReason.InvalidEncoding, "c\\xC3("), (result.SingleProblem.LineNumber!.Value, result.SingleProblem.Reason, result.SingleProblem.Value));
        Assert.Equal(["alice", "bob", "张伟"], result.CleanAccounts);
    }
}
