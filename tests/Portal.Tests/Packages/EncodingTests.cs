using System.Text;
using Portal.Packages;

namespace Portal.Tests.Packages;

public sealed class EncodingTests : IDisposable
{
    private readonly PackageWorkspace _workspace = new();

    public void Dispose() => _workspace.Dispose();

    [Theory]
    [InlineData("UTF-16 LE", false)]
    [InlineData("UTF-16 BE", true)]
    public void Utf16_without_byte_order_mark_is_recognised(string name, bool bigEndian)
    {
        var result = _workspace.Validate("accounts.txt", new UnicodeEncoding(bigEndian, byteOrderMark: false).GetBytes("alice\nbob\n"));

        Assert.Equal(name, result.Report.DetectedEncoding);
        Assert.Equal(["alice", "bob"], result.CleanAccounts);
    }

    [Theory]
    [InlineData("lena\n", false)]
    [InlineData("lena\n", true)]
    [InlineData("ab\n", false)]
    [InlineData("ab\n", true)]
    [InlineData("张伟\nab\n", false)]
    public void Short_utf16_without_byte_order_mark_is_still_recognised(string text, bool bigEndian)
    {
        var result = _workspace.Validate("accounts.txt", new UnicodeEncoding(bigEndian, byteOrderMark: false).GetBytes(text));

        Assert.Equal(bigEndian ? "UTF-16 BE" : "UTF-16 LE", result.Report.DetectedEncoding);
        Assert.Equal(text.Split('\n', StringSplitOptions.RemoveEmptyEntries), result.CleanAccounts);
    }

    [Fact]
    public void A_five_byte_ascii_file_is_sendable_utf8()
    {
        var result = _workspace.Validate("accounts.txt", [0x6C, 0x65, 0x6E, 0x61, 0x0A]);

        Assert.Equal("UTF-8", result.Report.DetectedEncoding);
        Assert.Empty(result.Report.Problems);
        Assert.True(result.Report.OriginalSendable);
    }

    [Theory]
    [InlineData("lena\n")]
    [InlineData("abc\n")]
    [InlineData("a\nb\n")]
    [InlineData("a\n")]
    [InlineData("ab")]
    [InlineData("a")]
    [InlineData("1234")]
    [InlineData("12345\n")]
    [InlineData("12345678")]
    [InlineData("张伟\n")]
    [InlineData("张\n")]
    public void Short_text_without_zero_bytes_is_utf8_not_utf16(string text)
    {
        var result = _workspace.Validate("accounts.txt", Encoding.UTF8.GetBytes(text));

        Assert.Equal("UTF-8", result.Report.DetectedEncoding);
        Assert.DoesNotContain(result.Report.Problems, problem => problem.Reason is ProblemReason.NotUtf8 or ProblemReason.InvalidEncoding);
    }

    [Fact]
    public void Utf32_with_byte_order_mark_is_converted()
    {
        var result = _workspace.Validate("accounts.txt", Encoding.UTF32.GetPreamble().Concat(Encoding.UTF32.GetBytes("alice\n")).ToArray());

        Assert.Equal("UTF-32 LE", result.Report.DetectedEncoding);
        Assert.Equal(["alice"], result.CleanAccounts);
    }

    [Fact]
    public void A_lone_surrogate_in_utf16_is_reported_on_its_line()
    {
        var bytes = Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes("alice\n")).Concat(new byte[] { 0x00, 0xD8, (byte)'x', 0 }).Concat(Encoding.Unicode.GetBytes("\nbob\n")).ToArray();

        var result = _workspace.Validate("accounts.txt", bytes);

        Assert.Equal([(null, ProblemReason.NotUtf8), (2L, ProblemReason.InvalidEncoding)], result.Report.Problems.Select(problem => (problem.LineNumber, problem.Reason)));
        Assert.Equal(["alice", "bob"], result.CleanAccounts);
    }

    [Fact]
    public void Gb18030_is_recognised_even_after_many_ascii_rows()
    {
        var text = string.Concat(Enumerable.Range(0, 200_000).Select(i => $"user{i}\n")) + "张伟\n";

        var result = _workspace.Validate("accounts.txt", PackageWorkspace.Gb18030.GetBytes(text));

        Assert.Equal("GB18030", result.Report.DetectedEncoding);
        Assert.Equal("张伟", result.CleanAccounts[^1]);
        Assert.Equal(200_001, result.Report.CleanPackage!.AccountCount);
    }

    [Fact]
    public void Latin1_text_is_not_taken_for_gb18030()
    {
        var result = _workspace.Validate("accounts.txt", Encoding.Latin1.GetBytes("café\nJosé\nok\n"));

        Assert.Equal("UTF-8", result.Report.DetectedEncoding);
        Assert.Equal([1L, 2L], result.Report.Problems.Select(problem => problem.LineNumber!.Value));
        Assert.Equal("caf\\xE9", result.Report.Problems[0].Value);
    }

    [Fact]
    public void Utf8_byte_order_mark_is_accepted_and_removed()
    {
        var result = _workspace.Validate("accounts.txt", Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes("ab\n")).ToArray());

        Assert.True(result.Report.OriginalSendable);
        Assert.Equal("ab\n", result.CleanText);
    }
}
