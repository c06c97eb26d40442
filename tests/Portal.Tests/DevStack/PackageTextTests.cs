using Portal.DevStack.TencentSimulator;

namespace Portal.Tests.DevStack;

/// <summary>The simulator's text rules give the same verdict however the bytes arrive: whole, or one at a time.</summary>
public sealed class PackageTextTests
{
    public static TheoryData<byte[], bool, string> Texts => new()
    {
        { "张伟\r\n😀😀\n\"acme,inc\"\r\n"u8.ToArray(), true, "3 rows" },
        { [0xEF, 0xBB, 0xBF, .. "ab\r"u8], false, "1 rows" },
        { "a\rb\n\n"u8.ToArray(), false, "2 rows" },
        { "\"say \"\"hi\"\"\",x"u8.ToArray(), true, "line 1 has 2 columns" },
        { "ab\n\"a\"b\n"u8.ToArray(), true, "line 2 has a stray or unclosed quote" },
        { "ab\na\"b\n"u8.ToArray(), false, "2 rows" },
        { [.. "ab\n"u8, 0xE5, 0xBC], false, "line 2 is not valid UTF-8" },
        { [.. "ab\n"u8, 0xF0, 0x9F, 0x98, 0x80, 0xF0, 0x9F, 0x98, 0x80, (byte)'\n', 0xFF, 0xFE], false, "line 3 is not valid UTF-8" },
        { [0xFE, 0xFF, 0, (byte)'a'], false, "the text is UTF-16 BE (it starts with that byte order mark), not UTF-8" },
    };

    [Theory]
    [MemberData(nameof(Texts))]
    public void A_text_cut_anywhere_reads_as_a_whole(byte[] bytes, bool isCsv, string verdict)
    {
        var whole = new PackageText(isCsv);
        whole.Add(bytes);
        var byteByByte = new PackageText(isCsv);
        foreach (var value in bytes)
        {
            byteByByte.Add([value]);
        }

        Assert.Equal(verdict, Verdict(whole.Complete()));
        Assert.Equal(verdict, Verdict(byteByByte.Complete()));
    }

    private static string Verdict((long Rows, string? Problem) text) => text.Problem ?? $"{text.Rows} rows";
}
