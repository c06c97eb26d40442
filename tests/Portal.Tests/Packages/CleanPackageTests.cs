using System.Security.Cryptography;
using System.Text;
using Portal.Packages;

namespace Portal.Tests.Packages;

public sealed class CleanPackageTests : IDisposable
{
    private readonly PackageWorkspace _workspace = new();

    public void Dispose() => _workspace.Dispose();

    [Fact]
    public void A_large_package_is_zipped_and_its_size_and_sha256_are_those_of_the_file()
    {
        var text = string.Concat(Enumerable.Range(0, 300_000).Select(i => $"{i * 7919L % 100_000_000_000:D11}\n"));

        var result = _workspace.Validate("accounts.txt", "\n" + text);

        var clean = result.Report.CleanPackage!;
        Assert.True(clean.Zipped);
        Assert.Equal("accounts.clean.zip", clean.FileName);
        Assert.Equal(result.CleanBytes!.Length, clean.Size);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(result.CleanBytes)), clean.Sha256);
        Assert.True(clean.Size < text.Length / 2);
        Assert.Equal(text, result.CleanText);
    }

    [Fact]
    public void A_tiny_package_stays_text_because_a_zip_would_be_larger()
    {
        var result = _workspace.Validate("accounts.csv", "\"alice\"\n");

        Assert.Equal(new CleanPackage("accounts.clean.txt", 6, Convert.ToHexStringLower(SHA256.HashData("alice\n"u8)), 1, false), result.Report.CleanPackage);
        Assert.Equal("alice\n", Encoding.UTF8.GetString(result.CleanBytes!));
    }

    [Fact]
    public void A_clean_original_is_its_own_clean_package()
    {
        var result = _workspace.Validate("accounts.txt", "alice\nbob");

        Assert.True(result.Report.OriginalSendable);
        Assert.Null(result.Report.CleanPackage);
        Assert.False(File.Exists(_workspace.CleanPath));
        Assert.Equal(["alice", "bob"], result.Report.Preview);
    }

    [Fact]
    public void The_prefix_before_the_first_change_is_copied_from_the_original()
    {
        var rows = Enumerable.Range(0, 400_000).Select(i => $"user{i:D7}").ToList();
        var text = string.Join('\n', rows) + "\nuser0000001\n";

        var result = _workspace.Validate("accounts.txt", text);

        Assert.Equal(new DuplicateAccount("user0000001", 2, 400_001), Assert.Single(result.Report.Duplicates));
        Assert.Equal(rows, result.CleanAccounts);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void Random_lists_come_back_as_their_unique_accounts_in_order(int seed)
    {
        var random = new Random(seed);
        var pool = Enumerable.Range(0, random.Next(1, 3000)).Select(_ => RandomAccount(random)).Distinct().ToList();
        var rows = Enumerable.Range(0, random.Next(1, 20_000)).Select(_ => pool[random.Next(pool.Count)]).ToList();
        var endings = new[] { "\n", "\r\n", "\r" };
        var text = string.Concat(rows.Select(row => row + endings[random.Next(endings.Length)]));
        var (fileName, content) = random.Next(3) switch
        {
            0 => ("accounts.zip", PackageWorkspace.Zip(("list.txt", text))),
            1 => ("accounts.csv", Encoding.UTF8.GetBytes(text)),
            _ => ("accounts.txt", Encoding.UTF8.GetBytes(text)),
        };

        var result = _workspace.Validate(fileName, content);

        var expected = rows.Distinct().ToList();
        Assert.Equal(0, result.Report.InvalidCount);
        Assert.Equal(rows.Count - expected.Count, result.Report.DuplicateCount);
        Assert.Equal(expected, result.Report.CleanPackage is null ? ReadRows(text) : result.CleanAccounts);
        Assert.Equal(expected.Take(PackageRules.PreviewSize), result.Report.Preview);
    }

    /// <summary>2 to 100 code points from ASCII letters and digits, punctuation, Chinese and emoji, no white space at the ends.</summary>
    private static string RandomAccount(Random random)
    {
        string[] alphabet = ["a", "Z", "0", "9", "_", "-", "@", ".", "张", "伟", "é", "😀", "ß"];
        var length = random.Next(2) == 0 ? random.Next(2, 12) : random.Next(2, 101);
        return string.Concat(Enumerable.Range(0, length).Select(_ => alphabet[random.Next(alphabet.Length)]).Select((part, index) => index == 0 && part is "-" or "@" ? "x" : part));
    }

    private static List<string> ReadRows(string text) => text.Split('\n', '\r').Where(row => row.Length > 0).ToList();
}
