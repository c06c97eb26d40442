using Portal.Packages;

namespace Portal.Tests.Packages;

public sealed class ZipTests : IDisposable
{
    private readonly PackageWorkspace _workspace = new();

    public void Dispose() => _workspace.Dispose();

    [Fact]
    public void A_sound_zip_is_validated_by_its_content()
    {
        var result = _workspace.Validate("package.ZIP", PackageWorkspace.Zip(("accounts.csv", "alice\nb\n")));

        Assert.Equal("accounts.csv", result.Report.DataFileName);
        Assert.Equal((2L, ProblemReason.TooShort), (result.SingleProblem.LineNumber!.Value, result.SingleProblem.Reason));
        Assert.Equal(["alice"], result.CleanAccounts);
    }

    [Fact]
    public void A_clean_zip_is_sendable_as_it_is()
    {
        var result = _workspace.Validate("package.zip", PackageWorkspace.Zip(("accounts.txt", "alice\nbob\n")));

        Assert.True(result.Report.OriginalSendable);
        Assert.Null(result.Report.CleanPackage);
        Assert.False(File.Exists(_workspace.CleanPath));
    }

    [Theory]
    [InlineData("../accounts.txt")]
    [InlineData("/etc/accounts.txt")]
    [InlineData("C:/accounts.txt")]
    public void Entry_names_that_escape_the_archive_are_refused(string name)
    {
        var result = _workspace.Validate("package.zip", PackageWorkspace.Zip((name, "alice\n")));

        Assert.Null(result.Report.CleanPackage);
        Assert.Equal($"'package.zip' holds '{name}', whose path points outside the archive; it is refused.", result.SingleProblem.Message);
    }

    [Fact]
    public void An_archive_with_no_file_at_all_is_empty()
    {
        var result = _workspace.Validate("package.zip", PackageWorkspace.Zip(("folder/", "")));

        Assert.Equal((ProblemReason.ZipEmpty, "'package.zip' is an empty zip archive: it holds no file."), (result.SingleProblem.Reason, result.SingleProblem.Message));
    }

    [Fact]
    public void An_archive_without_a_txt_or_csv_is_refused()
    {
        var result = _workspace.Validate("package.zip", PackageWorkspace.Zip(("accounts.xlsx", "PK")));

        Assert.Equal("'package.zip' holds no .txt or .csv file (only 'accounts.xlsx').", result.SingleProblem.Message);
    }

    [Fact]
    public void Another_file_beside_the_data_file_is_left_out_of_the_clean_package()
    {
        var result = _workspace.Validate("package.zip", PackageWorkspace.Zip(("accounts.txt", "alice\n"), ("readme.pdf", "%PDF")));

        Assert.Equal(ProblemReason.ZipOtherFile, result.SingleProblem.Reason);
        Assert.Equal(["alice"], result.CleanAccounts);
    }

    [Fact]
    public void A_file_named_zip_that_is_not_one_is_unreadable()
    {
        var result = _workspace.Validate("package.zip", "alice\n");

        Assert.Equal((ProblemReason.ZipUnreadable, "'package.zip' is not a readable zip archive."), (result.SingleProblem.Reason, result.SingleProblem.Message));
    }

    [Fact]
    public void A_damaged_entry_is_reported_not_thrown()
    {
        var zip = PackageWorkspace.Zip(("accounts.txt", string.Concat(Enumerable.Range(0, 5000).Select(i => $"account{i}\n"))));
        zip[60] ^= 0xFF;

        var result = _workspace.Validate("package.zip", zip);

        Assert.Null(result.Report.CleanPackage);
        Assert.Contains(result.Reasons, reason => reason is ProblemReason.ZipDamaged);
    }
}
