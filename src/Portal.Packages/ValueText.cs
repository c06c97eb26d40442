using System.Buffers;
using System.Globalization;
using System.Text;

namespace Portal.Packages;

/// <summary>Shows a value to people: what is invisible or ambiguous in it becomes visible.</summary>
public static class ValueText
{
    public const int ShownCodePoints = 40;

    /// <summary>
    /// Invalid bytes become <c>\xC3</c>, control characters their control pictures (␀, ␉, ␍ …), a space at either end ␠,
    /// other invisible white space <c>&lt;U+3000&gt;</c>; longer values are cut with "…".
    /// </summary>
    internal static string Show(ReadOnlySpan<byte> utf8, int maxCodePoints = ShownCodePoints)
    {
        var (leading, length) = AccountText.TrimmedRange(utf8);
        var trailing = leading + length;
        var text = new StringBuilder((int)Math.Min(utf8.Length, maxCodePoints + 8L));
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

    /// <summary>
    /// Text from outside (an account, a file or user name, an answer) as it may be shown: control characters as their
    /// pictures, invisible characters and direction controls as <c>&lt;U+202E&gt;</c>, so none can hide or reorder what follows.
    /// </summary>
    public static string Visible(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var visible = new StringBuilder(text.Length);
        var trimmed = text.AsSpan().Trim();
        var leading = text.Length - text.AsSpan().TrimStart().Length;
        var position = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            AppendVisible(visible, rune, atEdge: position < leading || position >= leading + trimmed.Length);
            position += rune.Utf16SequenceLength;
        }

        return visible.ToString();
    }

    /// <summary>
    /// Unicode's Bidi_Control characters: they reorder the text around them (U+202E makes "spooftxt.exe" of
    /// "spoof\u202Eexe.txt"), and have no place in a file name or an account.
    /// </summary>
    public static bool IsDirectionControl(Rune rune) => rune.Value is 0x061C or 0x200E or 0x200F or (>= 0x202A and <= 0x202E) or (>= 0x2066 and <= 0x2069);

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
            case (>= 0x80 and <= 0x9F) or (>= 0x200B and <= 0x200D) or 0x2060 or 0xFEFF:
            case > 0x20 when Rune.IsWhiteSpace(rune) || IsDirectionControl(rune):
                text.Append(CultureInfo.InvariantCulture, $"<U+{rune.Value:X4}>");
                break;
            default:
                text.Append(rune.ToString());
                break;
        }
    }

    /// <summary>
    /// A field for a CSV file (the problem report, the audit export): control and direction characters are written as
    /// <c>&lt;U+001B&gt;</c>, never raw; values a spreadsheet would run as a formula (=, +, -, @ first) get a leading
    /// apostrophe (OWASP's advice); and the field is quoted per RFC 4180.
    /// </summary>
    public static string ForCsv(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.EnumerateRunes().Any(rune => Rune.IsControl(rune) || IsDirectionControl(rune)))
        {
            value = string.Concat(value.EnumerateRunes().Select(rune => Rune.IsControl(rune) || IsDirectionControl(rune)
                ? string.Create(CultureInfo.InvariantCulture, $"<U+{rune.Value:X4}>")
                : rune.ToString()));
        }

        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@')
        {
            value = "'" + value;
        }

        return value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }
}
