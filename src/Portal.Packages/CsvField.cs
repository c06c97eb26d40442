namespace Portal.Packages;

/// <summary>
/// Reads one CSV row (RFC 4180 quoting) that must hold a single field. A row is one line: an account never holds a line
/// break, so a quoted value still open at the end of its line is reported rather than continued on the next one.
/// </summary>
internal static class CsvField
{
    public enum Outcome
    {
        Single,
        MultipleColumns,
        MalformedQuotes,
    }

    /// <summary>
    /// The row's only field with its quotes undone into <paramref name="field"/> (a slice of the row, or of
    /// <paramref name="scratch"/> when doubled quotes had to be undone); otherwise why not, with the column count.
    /// </summary>
    public static Outcome Parse(ReadOnlySpan<byte> row, byte delimiter, Span<byte> scratch, out ReadOnlySpan<byte> field, out int columns)
    {
        field = default;
        columns = 1;
        var rest = row;
        var first = true;
        while (true)
        {
            ReadOnlySpan<byte> value;
            if (!rest.IsEmpty && rest[0] == (byte)'"')
            {
                if (!TryReadQuoted(rest, delimiter, scratch, out value, out var consumed))
                {
                    return Outcome.MalformedQuotes;
                }

                rest = rest[consumed..];
            }
            else
            {
                var end = rest.IndexOf(delimiter);
                value = end < 0 ? rest : rest[..end];
                if (value.Contains((byte)'"'))
                {
                    return Outcome.MalformedQuotes;
                }

                rest = rest[value.Length..];
            }

            if (first)
            {
                field = value;
                first = false;
            }

            if (rest.IsEmpty)
            {
                return columns == 1 ? Outcome.Single : Outcome.MultipleColumns;
            }

            // rest[0] is the delimiter: another column follows.
            rest = rest[1..];
            columns++;
        }
    }

    /// <summary>A quoted field at the start of <paramref name="rest"/>; false when it is unclosed or text follows its closing quote.</summary>
    private static bool TryReadQuoted(ReadOnlySpan<byte> rest, byte delimiter, Span<byte> scratch, out ReadOnlySpan<byte> value, out int consumed)
    {
        var length = 0;
        var escaped = false;
        var index = 1;
        while (index < rest.Length)
        {
            var close = rest[index..].IndexOf((byte)'"');
            if (close < 0)
            {
                break;
            }

            var chunk = rest.Slice(index, close);
            index += close;
            if (index + 1 < rest.Length && rest[index + 1] == (byte)'"')
            {
                // A doubled quote is one quote in the value: from here on the value is built in scratch.
                if (!escaped)
                {
                    escaped = true;
                    rest[1..index].CopyTo(scratch);
                    length = index - 1;
                }
                else
                {
                    chunk.CopyTo(scratch[length..]);
                    length += chunk.Length;
                }

                scratch[length++] = (byte)'"';
                index += 2;
                continue;
            }

            if (escaped)
            {
                chunk.CopyTo(scratch[length..]);
                length += chunk.Length;
            }

            consumed = index + 1;
            value = escaped ? scratch[..length] : rest[1..index];
            return consumed == rest.Length || rest[consumed] == delimiter;
        }

        value = default;
        consumed = rest.Length;
        return false;
    }
}
