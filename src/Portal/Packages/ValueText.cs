using System.Buffers;
using System.Globalization;
using System.Text;

namespace Portal.Packages;

/// <summary>Shows a value to people: what is invisible or ambiguous in it becomes visible.</summary>
internal static class ValueText
{
    public const int ShownCodePoints = 40;

    /// <summary>
    /// Invalid bytes become <c>\xC3</c>, control characters their control pictures (␀, ␉, ␍ …), a space at either end ␠,
    /// other invisible white space <c>&lt;U+3000&gt;</c>; longer values are cut with "…".
    /// </summary>
    public static string Show(ReadOnlySpan<byte> utf8, int maxCodePoints = ShownCodePoints)
    {
        var (leading, length) = AccountText.TrimmedRange(utf8);
        var trailing = leading + length;
        var text = new StringBuilder(Math.Min(utf8.Length, maxCodePoints + 8));
        var shown = 0;
        var position = 0;
        while (position < utf8.Length)
        {
            if (shown == maxCodePoints)
            {
                text.Append('…');
                break;
            }

            var rest = utf8[position..];
            if (Rune.DecodeFromUtf8(rest, out var rune, out var runeLength) != OperationStatus.Done)
            {
                text.Append(CultureInfo.InvariantCulture, $"\\x{rest[0]:X2}");
                position++;
            }
            else
            {
                AppendVisible(text, rune, atEdge: position < leading || position >= trailing);
                position += runeLength;
            }

            shown++;
        }

        return text.ToString();
    }

    private static void AppendVisible(StringBuilder text, Rune rune, bool atEdge)
    {
        switch (rune.Value)
        {
            case < 0x20:
                text.Append((char)(0x2400 + rune.Value));
                break;
            case 0x7F:
                text.Append('\u2421');
                break;
            case 0x20:
                text.Append(atEdge ? '\u2420' : ' ');
                break;
            case (>= 0x80 and <= 0x9F) or 0x200B or 0xFEFF:
            case > 0x20 when Rune.IsWhiteSpace(rune):
                text.Append(CultureInfo.InvariantCulture, $"<U+{rune.Value:X4}>");
                break;
            default:
                text.Append(rune.ToString());
                break;
        }
    }

    /// <summary>
    /// A field for the problem report: values a spreadsheet would run as a formula (=, +, -, @, tab, CR first) get a leading
    /// apostrophe (OWASP's advice), and the field is quoted per RFC 4180.
    /// </summary>
    public static string ForCsv(string value)
    {
        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            value = "'" + value;
        }

        return value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }
}
