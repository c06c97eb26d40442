using System.Text;
using Portal.Packages;

namespace Portal.Tests.Packages;

/// <summary>What the report offers to choose on a re-check (a header row, the account column, damaged values), and what each choice does.</summary>
public sealed class ChoiceTests : IDisposable
{
    private const string CrmExport = "Customer ID,Name,E-mail\r\nc-1001,Alice Li,alice@example.com\r\nc-1002,\"Bob \"\"B\"\" Wang\",bob@example.com\r\nc-1003,Carol,\r\nc-1001,Alice again,alice@example.com\r\n";

    private readonly PackageWorkspace _workspace = new();

    public void Dispose() => _workspace.Dispose();

    [Theory]
    [InlineData("accounts.txt", "account\nalice\nbob\n", "account")]
    [InlineData("accounts.txt", "Account_ID\nalice\nbob\n", "Account_ID")]
    [InlineData("accounts.txt", "OpenID\nalice\nbob\n", "OpenID")]
    [InlineData("accounts.txt", "id\nalice\nbob\n", "id")]
    [InlineData("accounts.csv", "\"user_id\"\nalice\nbob\n", "\"user_id\"")]
    [InlineData("accounts.txt", "账号\nalice\nbob\n", "账号")]
    [InlineData("accounts.csv", "用户ID,name\nalice,A\n", "用户ID,name")]
    [InlineData("accounts.txt", "E-mail Address\nalice@example.com\n", "E-mail Address")]
    public void A_first_row_that_names_the_column_is_offered_as_a_header(string fileName, string content, string shown)
    {
        var result = _workspace.Validate(fileName, content);

        Assert.Equal(shown, result.Report.LikelyHeader);
    }

    [Fact]
    public void A_header_in_gb18030_is_recognised()
    {
        var result = _workspace.Validate("accounts.txt", PackageWorkspace.Gb18030.GetBytes("帐号\n张伟\n李娜\n"));

        Assert.Equal("帐号", result.Report.LikelyHeader);
    }

    [Theory]
    [InlineData("alice\nbob\n", false)]
    [InlineData("identity\nbob\n", false)]
    [InlineData("account\nbob\n", true)]
    public void Only_a_header_name_counts_and_not_once_declared(string content, bool declared)
    {
        var result = _workspace.Validate("accounts.txt", content, firstRowIsHeader: declared);

        Assert.Null(result.Report.LikelyHeader);
    }

    [Fact]
    public void Declaring_the_likely_header_leaves_it_out()
    {
        var result = _workspace.Validate("accounts.txt", "account\nalice\nbob\n", firstRowIsHeader: true);

        Assert.Equal(["alice", "bob"], result.CleanAccounts);
    }

    [Fact]
    public void A_crm_export_offers_its_columns_by_header_name_with_a_sample()
    {
        var result = _workspace.Validate("crm.csv", CrmExport);

        Assert.Null(result.Report.CleanPackage);
        Assert.Equal("Customer ID,Name,E-mail", result.Report.LikelyHeader);
        Assert.Equal(
            [new CsvColumn(1, "Customer ID", "c-1001"), new CsvColumn(2, "Name", "Alice Li"), new CsvColumn(3, "E-mail", "alice@example.com")],
            result.Report.Columns);
    }

    [Fact]
    public void Without_a_header_the_columns_are_numbered_with_a_sample()
    {
        var result = _workspace.Validate("crm.csv", "c-1001;Alice\nc-1002;Bob\n");

        Assert.Equal([new CsvColumn(1, null, "c-1001"), new CsvColumn(2, null, "Alice")], result.Report.Columns);
    }

    [Fact]
    public void A_single_column_csv_offers_no_columns()
    {
        var result = _workspace.Validate("accounts.csv", "alice\n\"bob\"\n");

        Assert.Empty(result.Report.Columns);
    }

    [Fact]
    public void The_chosen_column_becomes_a_one_column_clean_package_and_the_original_cannot_be_sent()
    {
        var result = _workspace.Validate(new ValidationRequest("crm.csv", FirstRowIsHeader: true) { AccountColumn = 3 }, CrmExport);

        Assert.False(result.Report.OriginalSendable);
        Assert.Equal(3, result.Report.AccountColumn);
        Assert.Equal(["alice@example.com", "bob@example.com"], result.CleanAccounts);
        Assert.Equal([(1L, ProblemReason.HeaderRow), (4L, ProblemReason.Blank)], result.Report.Problems.Select(problem => (problem.LineNumber!.Value, problem.Reason)));
        Assert.Equal(1, result.Report.DuplicateCount);
        Assert.Equal(3, result.Report.Columns.Count);
    }

    [Fact]
    public void A_quoted_value_with_doubled_quotes_is_taken_whole_from_its_column()
    {
        var result = _workspace.Validate(new ValidationRequest("crm.csv", FirstRowIsHeader: true) { AccountColumn = 2 }, CrmExport);

        Assert.Equal(["Alice Li", "Bob \"B\" Wang", "Carol", "Alice again"], result.CleanAccounts);
    }

    [Fact]
    public void The_first_column_chosen_is_clean_even_when_no_row_changes()
    {
        var result = _workspace.Validate(new ValidationRequest("ids.csv") { AccountColumn = 1 }, "alice\nbob\n");

        Assert.False(result.Report.OriginalSendable);
        Assert.Equal(["alice", "bob"], result.CleanAccounts);
    }

    [Fact]
    public void Rows_without_the_chosen_column_are_reported()
    {
        var result = _workspace.Validate(new ValidationRequest("crm.csv") { AccountColumn = 2 }, "c1,alice\nlonely\nc3,bob\n");

        Assert.Equal((2L, ProblemReason.MissingColumn, "has no column 2, the one chosen for the accounts."),
            (result.SingleProblem.LineNumber!.Value, result.SingleProblem.Reason, result.SingleProblem.Message));
        Assert.Equal(["alice", "bob"], result.CleanAccounts);
    }

    [Fact]
    public void A_txt_file_ignores_a_chosen_column()
    {
        var result = _workspace.Validate(new ValidationRequest("accounts.txt") { AccountColumn = 2 }, "smith,john\n");

        Assert.True(result.Report.OriginalSendable);
        Assert.Null(result.Report.AccountColumn);
    }

    [Fact]
    public void Kept_scientific_values_go_into_the_clean_package()
    {
        var result = _workspace.Validate(new ValidationRequest("accounts.txt") { KeepScientificNotation = true }, "alice\n1.23457E+15\n");

        Assert.True(result.Report.OriginalSendable);
        Assert.Equal(WarningKind.ScientificNotation, Assert.Single(result.Report.Warnings).Kind);
    }

    [Fact]
    public void Many_rows_keep_the_chosen_column_past_the_first_buffer()
    {
        var content = "id,account\n" + string.Concat(Enumerable.Range(0, 200_000).Select(i => $"{i},user{i:D7}\n"));

        var result = _workspace.Validate(new ValidationRequest("big.csv", FirstRowIsHeader: true) { AccountColumn = 2 }, Encoding.UTF8.GetBytes(content));

        Assert.Equal(200_000, result.Report.CleanPackage!.AccountCount);
        Assert.Equal("user0199999", result.CleanAccounts[^1]);
    }
}
