using System.Buffers;
using System.Text;

namespace Portal.Packages;

/// <summary>Rules on the text of one account, on valid UTF-8. Characters are Unicode code points (docs/decisions/0003).</summary>
internal static class AccountText
{
    /// <summary>Code points in valid UTF-8: every byte that is not a continuation byte (10xxxxxx) starts one.</summary>
    public static int CodePointCount(ReadOnlySpan<byte> utf8)
    {
        var continuation = 0;
        foreach (var b in utf8)
        {
            if ((b & 0xC0) == 0x80)
            {
                continuation++;
            }
        }

        return utf8.Length - continuation;
    }

    /// <summary>The value without the white space (Unicode White_Space, zero-width space, BOM) on either end.</summary>
    public static ReadOnlySpan<byte> Trim(ReadOnlySpan<byte> utf8)
    {
        var (start, length) = TrimmedRange(utf8);
        return utf8.Slice(start, length);
    }

    public static (int Start, int Length) TrimmedRange(ReadOnlySpan<byte> utf8)
    {
        var start = 0;
        while (start < utf8.Length && Rune.DecodeFromUtf8(utf8[start..], out var first, out var length) == OperationStatus.Done && IsTrimmed(first))
        {
            start += length;
        }

        var end = utf8.Length;
        while (end > start && Rune.DecodeLastFromUtf8(utf8[start..end], out var last, out var length) == OperationStatus.Done && IsTrimmed(last))
        {
            end -= length;
        }

        return (start, end - start);
    }

    public static bool IsTrimmed(Rune rune) => Rune.IsWhiteSpace(rune) || rune.Value is 0x200B or 0xFEFF;

    /// <summary>C0 and C1 control characters and DEL (Unicode category Cc).</summary>
    public static bool ContainsControl(ReadOnlySpan<byte> utf8)
    {
        if (utf8.IndexOfAnyInRange((byte)0x00, (byte)0x1F) >= 0 || utf8.Contains((byte)0x7F))
        {
            return true;
        }

        // C1 controls U+0080..U+009F are encoded C2 80..C2 9F.
        for (var index = utf8.IndexOf((byte)0xC2); index >= 0 && index + 1 < utf8.Length; index = NextC2(utf8, index))
        {
            if (utf8[index + 1] is >= 0x80 and <= 0x9F)
            {
                return true;
            }
        }

        return false;
    }

    private static int NextC2(ReadOnlySpan<byte> utf8, int index)
    {
        var next = utf8[(index + 1)..].IndexOf((byte)0xC2);
        return next < 0 ? -1 : index + 1 + next;
    }
}
