using System.Text;
using Portal.Packages;

namespace Portal.Tests.Packages;

/// <summary>
/// The duplicate table keeps hashes only, so a second pass over the original finds the line each listed duplicate first
/// appeared on: it must read the rows exactly as the first pass did, and go as far as it needs to.
/// </summary>
public sealed class FirstLineTests : IDisposable
{
    private readonly PackageWorkspace _workspace = new();

    public void Dispose() => _workspace.Dispose();

    [Fact]
    public void A_duplicate_first_seen_far_into_the_file_is_found_by_reading_it_again()
    {
        var content = PackageWorkspace.Rows(300_000, last: "late\nlate\nuser0000001\nlate\n");

        var result = _workspace.Validate("accounts.txt", content);

        Assert.Equal(
            [new DuplicateAccount("late", 300_001, 300_002), new DuplicateAccount("user0000001", 2, 300_003), new DuplicateAccount("late", 300_001, 300_004)],
            result.Report.Duplicates);
    }

    [Fact]
    public void Only_the_listed_duplicates_get_their_first_line_and_all_are_counted()
    {
        var content = PackageWorkspace.Rows(1000, last: Encoding.UTF8.GetString(PackageWorkspace.Rows(150)));

        var result = _workspace.Validate("accounts.txt", content);

        Assert.Equal(150, result.Report.DuplicateCount);
        Assert.Equal(Enumerable.Range(0, PackageRules.MaxListedDuplicates).Select(i => new DuplicateAccount($"user{i:D7}", i + 1, 1001 + i)), result.Report.Duplicates);
    }

    public static TheoryData<string, byte[], bool, DuplicateAccount[]> RereadCases => new()
    {
        {
            // Header, quotes, white space and CRLF: the second pass reads each account as the first did.
            "accounts.csv", Encoding.UTF8.GetBytes("account\r\n\"alice\"\r\n bob\r\nalice\r\n\"b\"\"o\"\"b\"\r\nbob\r\n\"b\"\"o\"\"b\"\r\n"), true,
            [new("alice", 2, 4), new("bob", 3, 6), new("b\"o\"b", 5, 7)]
        },
        {
            "names.txt", PackageWorkspace.Gb18030.GetBytes("alice\n张伟\n王芳\n张伟\nalice\n"), false,
            [new("张伟", 2, 4), new("alice", 1, 5)]
        },
        {
            "names.txt", [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes("张伟\r\n😀😀\r\n张伟\r\n😀😀\r\n")], false,
            [new("张伟", 1, 3), new("😀😀", 2, 4)]
        },
    };

    [Theory]
    [MemberData(nameof(RereadCases))]
    public void First_lines_are_found_in_any_encoding_and_form(string fileName, byte[] content, bool firstRowIsHeader, DuplicateAccount[] duplicates)
    {
        var result = _workspace.Validate(fileName, content, firstRowIsHeader: firstRowIsHeader);

        Assert.Equal(duplicates, result.Report.Duplicates);
    }

}
