using System.IO.Compression;
using System.Text;
using Portal.Packages;

namespace Portal.Tests.Packages;

public sealed class PackageValidatorTests
{
    private static ValidationReport Validate(string fileName, string content) =>
        Validate(fileName, Encoding.UTF8.GetBytes(content));

    private static ValidationReport Validate(string fileName, byte[] content)
    {
        using var stream = new MemoryStream(content);
        return PackageValidator.Validate(fileName, stream);
    }

    private static byte[] Zip(params (string Name, string Content)[] entries)
    {
        using var buffer = new MemoryStream();
        using (var archive = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, content) in entries)
            {
                using var writer = new StreamWriter(archive.CreateEntry(name).Open(), new UTF8Encoding(false));
                writer.Write(content);
            }
        }

        return buffer.ToArray();
    }

    [Theory]
    [InlineData("accounts.txt", "alice\nbob\ncarol\n")]
    [InlineData("ACCOUNTS.TXT", "alice\r\nbob\r\ncarol")]
    [InlineData("accounts.csv", "alice\rbob\rcarol\r")]
    [InlineData("accounts.csv", "\"alice\"\n\"bob, the builder\"\ncarol\n")]
    public void Accepts_valid_packages_and_counts_rows(string fileName, string content)
    {
        var report = Validate(fileName, content);

        Assert.True(report.IsAccepted, string.Join("; ", report.Problems));
        Assert.Equal(3, report.RowCount);
        Assert.Equal("alice", report.Preview[0]);
    }

    [Fact]
    public void A_utf8_byte_order_mark_is_not_part_of_the_first_account()
    {
        var report = Validate("accounts.txt", [0xEF, 0xBB, 0xBF, (byte)'a', (byte)'b', (byte)'\n']);

        Assert.True(report.IsAccepted);
        Assert.Equal(["ab"], report.Preview);
    }

    [Fact]
    public void Accounts_are_counted_in_unicode_code_points()
    {
        // Two emoji are 4 UTF-16 units but 2 characters; 100 Chinese characters are exactly the limit.
        var report = Validate("accounts.txt", $"😀😀\n{new string('张', 100)}\n");

        Assert.True(report.IsAccepted, string.Join("; ", report.Problems));
    }

    [Theory]
    [InlineData("a\nbob\n", 1, "'a' is 1 characters long; an account must be 2 to 100.")]
    [InlineData("bob\n\ncarol\n", 2, "is blank; every row must hold one account.")]
    public void Rows_outside_two_to_hundred_characters_are_reported_with_their_line(string content, long line, string message)
    {
        var report = Validate("accounts.txt", content);

        Assert.False(report.IsAccepted);
        var problem = Assert.Single(report.Problems);
        Assert.Equal(line, problem.LineNumber);
        Assert.Equal(message, problem.Message);
    }

    [Fact]
    public void A_row_of_101_characters_is_rejected()
    {
        var report = Validate("accounts.txt", $"ok\n{new string('x', 101)}\n");

        Assert.Equal(2, Assert.Single(report.Problems).LineNumber);
        Assert.Contains("is 101 characters long", report.Problems[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_csv_row_with_two_columns_is_rejected_with_its_line()
    {
        var report = Validate("accounts.csv", "alice\nbob,extra\n\"carol\",x\n");

        Assert.Equal([2L, 3L], report.Problems.Select(p => p.LineNumber!.Value));
        Assert.All(report.Problems, p => Assert.Contains("more than one column", p.Message, StringComparison.Ordinal));
    }

    [Fact]
    public void Invalid_utf8_is_reported_with_the_line_it_is_on()
    {
        var content = Encoding.UTF8.GetBytes("alice\nbob\n").Concat(new byte[] { 0xC3, 0x28, (byte)'\n' }).ToArray();

        var report = Validate("accounts.txt", content);

        Assert.False(report.IsAccepted);
        Assert.Equal(3, report.Problems[0].LineNumber);
        Assert.Contains("not valid UTF-8", report.Problems[0].Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("accounts.xlsx", "'accounts.xlsx' is not a .zip, .txt, .csv file.")]
    [InlineData("", "The file has no name.")]
    public void File_names_are_checked(string fileName, string message)
    {
        Assert.Equal(message, Assert.Single(Validate(fileName, "alice\n").Problems).Message);
    }

    [Fact]
    public void A_file_name_of_101_characters_is_rejected_and_100_accepted()
    {
        Assert.False(Validate(new string('n', 97) + ".txt", "alice\n").IsAccepted);
        Assert.True(Validate(new string('n', 96) + ".txt", "alice\n").IsAccepted);
    }

    [Fact]
    public void An_empty_file_is_rejected()
    {
        Assert.Equal("'accounts.txt' is empty.", Assert.Single(Validate("accounts.txt", "").Problems).Message);
    }

    [Fact]
    public void A_zip_with_one_txt_is_validated_by_its_content()
    {
        var accepted = Validate("package.zip", Zip(("accounts.txt", "alice\nbob\n")));
        var rejected = Validate("package.zip", Zip(("accounts.txt", "alice\nb\n")));

        Assert.True(accepted.IsAccepted);
        Assert.Equal(2, accepted.RowCount);
        Assert.False(rejected.IsAccepted);
        Assert.Equal(2, rejected.Problems[0].LineNumber);
    }

    [Fact]
    public void A_zip_with_a_folder_is_rejected()
    {
        var report = Validate("package.zip", Zip(("lists/accounts.txt", "alice\n")));

        Assert.Contains("contains a folder ('lists/accounts.txt')", Assert.Single(report.Problems).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_zip_with_two_files_is_rejected()
    {
        var report = Validate("package.zip", Zip(("a.txt", "alice\n"), ("b.txt", "bob\n")));

        Assert.Contains("holds 2 files (a.txt, b.txt)", Assert.Single(report.Problems).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_zip_holding_something_else_than_txt_or_csv_is_rejected()
    {
        var report = Validate("package.zip", Zip(("inner.zip", "PK")));

        Assert.Contains("may only hold a .txt or .csv file", Assert.Single(report.Problems).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_that_is_not_a_zip_but_named_so_is_rejected()
    {
        Assert.Equal("'package.zip' is not a readable zip archive.", Assert.Single(Validate("package.zip", "alice\n").Problems).Message);
    }

    [Fact]
    public void Only_the_first_hundred_problems_are_listed_but_all_are_counted()
    {
        var report = Validate("accounts.txt", string.Concat(Enumerable.Repeat("x\n", 250)));

        Assert.Equal(250, report.ProblemCount);
        Assert.Equal(PackageRules.MaxListedProblems, report.Problems.Count);
    }
}
