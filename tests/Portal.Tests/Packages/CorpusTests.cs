using System.Text;
using Portal.Packages;

namespace Portal.Tests.Packages;

/// <summary>The real-world files of issue 3, each made here, each with its exact verdict and message.</summary>
public sealed class CorpusTests : IDisposable
{
    private readonly PackageWorkspace _workspace = new();

    public void Dispose() => _workspace.Dispose();

    [Fact]
    public void Excel_csv_with_byte_order_mark_crlf_and_a_header()
    {
        var excel = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes("Account\r\n13800000001\r\n13800000002\r\n")).ToArray();

        var result = _workspace.Validate("export.csv", excel, firstRowIsHeader: true);

        Assert.False(result.Report.OriginalSendable);
        Assert.Equal("UTF-8 with BOM", result.Report.DetectedEncoding);
        Assert.Equal((ProblemReason.HeaderRow, 1L, "Account", "is the header row: it is left out of the clean package."),
            (result.SingleProblem.Reason, result.SingleProblem.LineNumber!.Value, result.SingleProblem.Value, result.SingleProblem.Message));
        Assert.Equal(["13800000001", "13800000002"], result.CleanAccounts);
        Assert.Equal("export.clean.txt", result.Report.CleanPackage!.FileName);
        Assert.Equal(WarningKind.ByteOrderMark, Assert.Single(result.Report.Warnings).Kind);
    }

    [Fact]
    public void Excel_csv_with_byte_order_mark_and_crlf_but_no_header_is_sendable()
    {
        var excel = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes("13800000001\r\n13800000002\r\n")).ToArray();

        var result = _workspace.Validate("export.csv", excel);

        Assert.True(result.Report.OriginalSendable);
        Assert.Empty(result.Report.Problems);
        Assert.Equal(["13800000001", "13800000002"], result.CleanAccounts);
    }

    [Fact]
    public void Mac_zip_with_macosx_folder()
    {
        var zip = PackageWorkspace.Zip(("accounts.txt", "alice\nbob\n"), ("__MACOSX/", ""), ("__MACOSX/._accounts.txt", "\0\u0005\u0016\u0007"), (".DS_Store", "\0\0\0\u0001Bud1"));

        var result = _workspace.Validate("accounts.zip", zip);

        Assert.False(result.Report.OriginalSendable);
        Assert.Equal(
            "'accounts.zip' holds files the operating system added when zipping ('__MACOSX/', '__MACOSX/._accounts.txt', '.DS_Store'); not your doing, but Tencent rejects them. The clean package leaves them out.",
            result.SingleProblem.Message);
        Assert.Equal(ProblemReason.ZipJunk, result.SingleProblem.Reason);
        Assert.Equal("accounts.txt", result.Report.DataFileName);
        Assert.Equal(["alice", "bob"], result.CleanAccounts);
    }

    [Fact]
    public void Utf16_le_with_byte_order_mark_is_named_and_converted()
    {
        var result = _workspace.Validate("accounts.txt", Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes("张伟\r\nalice\r\n")).ToArray());

        Assert.False(result.Report.OriginalSendable);
        Assert.Equal("UTF-16 LE", result.Report.DetectedEncoding);
        Assert.True(result.Report.OffersUtf8Conversion);
        Assert.Equal("'accounts.txt' is encoded in UTF-16 LE, not UTF-8 as Tencent requires. The clean package is converted to UTF-8.", result.SingleProblem.Message);
        Assert.Equal(["张伟", "alice"], result.CleanAccounts);
        Assert.Equal(["张伟", "alice"], result.Report.Preview);
    }

    [Fact]
    public void Gb18030_is_named_and_converted_never_shown_as_mojibake()
    {
        var result = _workspace.Validate("names.txt", PackageWorkspace.Gb18030.GetBytes("alice\n张伟\n王芳\n李娜\n"));

        Assert.False(result.Report.OriginalSendable);
        Assert.Equal("GB18030", result.Report.DetectedEncoding);
        Assert.True(result.Report.OffersUtf8Conversion);
        Assert.Equal("'names.txt' is encoded in GB18030 (GBK), not UTF-8 as Tencent requires. The clean package is converted to UTF-8.", result.SingleProblem.Message);
        Assert.Equal(["alice", "张伟", "王芳", "李娜"], result.CleanAccounts);
        Assert.Equal(["alice", "张伟", "王芳", "李娜"], result.Report.Preview);
    }

    [Fact]
    public void Zip_with_a_folder_is_reported_and_its_file_cleaned()
    {
        var result = _workspace.Validate("package.zip", PackageWorkspace.Zip(("lists/", ""), ("lists/accounts.txt", "alice\nbob\n")));

        Assert.False(result.Report.OriginalSendable);
        Assert.Equal(
            "'package.zip' holds folders or paths ('lists/', 'lists/accounts.txt'); Tencent accepts a zip holding a single .txt or .csv file and no folders. The clean package has none.",
            result.SingleProblem.Message);
        Assert.Equal(["alice", "bob"], result.CleanAccounts);
    }

    [Fact]
    public void Zip_with_two_files_is_rejected()
    {
        var result = _workspace.Validate("package.zip", PackageWorkspace.Zip(("a.txt", "alice\n"), ("b.csv", "bob\n")));

        Assert.False(result.Report.OriginalSendable);
        Assert.Null(result.Report.CleanPackage);
        Assert.Equal(ProblemReason.ZipMultipleDataFiles, result.SingleProblem.Reason);
        Assert.Equal("'package.zip' holds 2 data files ('a.txt', 'b.csv'); Tencent accepts exactly one .txt or .csv file. Upload them one by one.", result.SingleProblem.Message);
    }

    [Fact]
    public void Zip_inside_a_zip_is_rejected()
    {
        var inner = PackageWorkspace.Zip(("accounts.txt", "alice\n"));

        var result = _workspace.Validate("package.zip", PackageWorkspace.Zip(("inner.zip", inner)));

        Assert.Null(result.Report.CleanPackage);
        Assert.Equal(ProblemReason.ZipNestedArchive, result.SingleProblem.Reason);
        Assert.Equal("'package.zip' holds another archive ('inner.zip'); Tencent accepts a zip holding a single .txt or .csv file. Unpack the inner archive first.", result.SingleProblem.Message);
    }

    [Fact]
    public void Encrypted_zip_is_rejected()
    {
        var result = _workspace.Validate("package.zip", PackageWorkspace.MarkEncrypted(PackageWorkspace.Zip(("accounts.txt", "alice\n"))));

        Assert.Null(result.Report.CleanPackage);
        Assert.Equal(ProblemReason.ZipEncrypted, result.SingleProblem.Reason);
        Assert.Equal("'package.zip' holds 'accounts.txt' encrypted with a password; Tencent cannot read it. Zip the file again without a password.", result.SingleProblem.Message);
    }

    [Fact]
    public void Zip_bomb_is_refused_from_its_declared_size()
    {
        var result = _workspace.Validate("package.zip", PackageWorkspace.Zip(("accounts.txt", new byte[8 << 20])));

        Assert.Null(result.Report.CleanPackage);
        Assert.Equal(ProblemReason.ZipBomb, result.SingleProblem.Reason);
        Assert.Equal(
            "'accounts.txt' in 'package.zip' unpacks to more than 104,857,600 bytes (100 MB) or more than 100 times its packed size; it is refused as a possible zip bomb, and reading stopped there.",
            result.SingleProblem.Message);
    }

    [Fact]
    public void Zip_bomb_that_understates_its_size_is_refused_by_its_checksum()
    {
        var zip = PackageWorkspace.UnderstateSize(PackageWorkspace.Zip(("accounts.txt", Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("alice\n", 2_000_000))))), claimed: 600);

        var result = _workspace.Validate("package.zip", zip);

        Assert.Null(result.Report.CleanPackage);
        Assert.Equal(
            "'accounts.txt' in 'package.zip' cannot be unpacked: its content does not match the checksum the archive records (the archive is damaged or crafted)",
            Assert.Single(result.Report.Problems, problem => problem.LineNumber is null).Message);
    }

    [Fact]
    public void Empty_file_is_rejected()
    {
        var result = _workspace.Validate("accounts.txt", "");

        Assert.Null(result.Report.CleanPackage);
        Assert.Equal((ProblemReason.EmptyFile, "'accounts.txt' is empty."), (result.SingleProblem.Reason, result.SingleProblem.Message));
    }

    [Fact]
    public void Only_blank_rows_is_rejected_with_every_blank_row_listed()
    {
        var result = _workspace.Validate("accounts.txt", "\n  \n\t\n");

        Assert.Null(result.Report.CleanPackage);
        Assert.Equal(3, result.Report.BlankRowCount);
        Assert.Equal([1L, 2L, 3L, null], result.Report.Problems.Select(problem => problem.LineNumber));
        Assert.Equal("is blank: it is left out of the clean package.", result.Report.Problems[1].Message);
        Assert.Equal("'accounts.txt' holds no valid account.", result.Report.Problems[3].Message);
        Assert.Equal(["1,,is blank: it is left out of the clean package", "2,␠␠,is blank: it is left out of the clean package", "3,␉,is blank: it is left out of the clean package", ",,'accounts.txt' holds no valid account."],
            result.ProblemReportRows);
    }

    [Fact]
    public void Rows_of_one_and_of_101_characters()
    {
        var result = _workspace.Validate("accounts.txt", $"a\nok\n{new string('x', 101)}\n");

        Assert.False(result.Report.OriginalSendable);
        Assert.Equal(
            [(1L, ProblemReason.TooShort, "a", "is 1 character long; an account must be 2 to 100 characters."),
             (3L, ProblemReason.TooLong, new string('x', 40) + "…", "is 101 characters long; an account must be 2 to 100 characters.")],
            result.Report.Problems.Select(problem => (problem.LineNumber!.Value, problem.Reason, problem.Value!, problem.Message)));
        Assert.Equal(["ok"], result.CleanAccounts);
        Assert.Equal(new Dictionary<ProblemReason, long> { [ProblemReason.TooShort] = 1, [ProblemReason.TooLong] = 1 }, result.Report.InvalidByReason);
    }

    [Fact]
    public void Quoted_csv_with_commas_is_one_column()
    {
        var result = _workspace.Validate("accounts.csv", "\"smith, john\"\n\"say \"\"hi\"\"\"\nplain\n");

        Assert.True(result.Report.OriginalSendable);
        Assert.Equal(["smith, john", "say \"hi\"", "plain"], result.CleanAccounts);
    }

    [Fact]
    public void Two_column_csv_is_reported_row_by_row()
    {
        var result = _workspace.Validate("accounts.csv", "alice,1\nbob,2\n");

        Assert.Null(result.Report.CleanPackage);
        Assert.Equal(
            [(1L, "has 2 columns; Tencent accepts a CSV with exactly one column."), (2L, "has 2 columns; Tencent accepts a CSV with exactly one column."), (null, "'accounts.csv' holds no valid account.")],
            result.Report.Problems.Select(problem => (problem.LineNumber, problem.Message)));
    }

    [Fact]
    public void Semicolon_separated_csv_is_named_as_such()
    {
        var result = _workspace.Validate("accounts.csv", "alice;Alice Liddell\nbob;Bob Builder\ncarol\n");

        Assert.Equal(";", result.Report.Delimiter);
        var warning = Assert.Single(result.Report.Warnings);
        Assert.Equal(
            "'accounts.csv' looks separated by semicolons (;), not commas (2 of its first 3 rows): each value between them counts as a column. Save a single column as 'CSV (comma delimited)'.",
            warning.Message);
        Assert.Equal([1L, 2L], result.Report.Problems.Select(problem => problem.LineNumber!.Value));
        Assert.All(result.Report.Problems, problem => Assert.Equal(ProblemReason.MultipleColumns, problem.Reason));
        Assert.Equal(["carol"], result.CleanAccounts);
    }

    [Fact]
    public void File_of_100_megabytes_without_a_newline()
    {
        var content = new byte[PackageRules.MaxPackageBytes];
        content.AsSpan().Fill((byte)'7');

        var result = _workspace.Validate("accounts.txt", content);

        Assert.Null(result.Report.CleanPackage);
        Assert.Equal(1, result.Report.RowCount);
        Assert.Equal(
            [(1L, "is 104,857,600 characters long; an account must be 2 to 100 characters."), (null, "'accounts.txt' holds no valid account.")],
            result.Report.Problems.Select(problem => (problem.LineNumber, problem.Message)));
        Assert.Equal(new string('7', 40) + "…", result.Report.Problems[0].Value);
    }

    [Fact]
    public void Mixed_line_endings_all_end_rows()
    {
        var result = _workspace.Validate("accounts.txt", "lf\ncrlf\r\ncr\rlast");

        Assert.True(result.Report.OriginalSendable);
        Assert.Equal(4, result.Report.RowCount);
        Assert.Equal(["lf", "crlf", "cr", "last"], result.CleanAccounts);
        Assert.Equal("lf\ncrlf\ncr\nlast\n", result.CleanText);
    }

    [Fact]
    public void File_name_of_101_characters_is_reported_and_the_clean_package_named_within_100()
    {
        var name = new string('n', 97) + ".txt";

        var result = _workspace.Validate(name, "alice\n");

        Assert.False(result.Report.OriginalSendable);
        Assert.Equal("The file name is 101 characters long; Tencent accepts 1 to 100. The clean package has a shorter one.", result.SingleProblem.Message);
        Assert.Equal(new string('n', 90) + ".clean.txt", result.Report.CleanPackage!.FileName);
        Assert.True(_workspace.Validate(new string('n', 96) + ".txt", "alice\n").Report.OriginalSendable);
    }
}
