namespace Portal.Packages;

/// <summary>
/// Reads one CSV row (RFC 4180 quoting). A row is one line: an account never holds a line break, so a quoted value still
/// open at the end of its line is reported rather than continued on the next one.
/// </summary>
internal static class CsvField
{
    /// <summary>
    /// Field <paramref name="column"/> (from 0) of the row with its quotes undone into <paramref name="field"/> (a slice of
    /// the row, or of <paramref name="scratch"/> when doubled quotes had to be undone; empty when the row has fewer
    /// columns), and how many columns the row has. False when a quote is stray or unclosed. <paramref name="all"/>, when
    /// given, receives every field as shown to people.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> row, byte delimiter, Span<byte> scratch, int column, out ReadOnlySpan<byte> field, out int columns, List<string>? all = null)
    {
        field = default;
        columns = 1;
        var rest = row;
        var kept = 0;
        while (true)
        {
            ReadOnlySpan<byte> value;
            if (!rest.IsEmpty && rest[0] == (byte)'"')
            {
                if (!TryReadQuoted(rest, delimiter, scratch[kept..], out value, out var consumed))
                {
                    return false;
                }

                rest = rest[consumed..];
            }
            else
            {
                var end = rest.IndexOf(delimiter);
                value = end < 0 ? rest : rest[..end];
                if (value.Contains((byte)'"'))
                {
                    return false;
                }

                rest = rest[value.Length..];
            }

            if (columns - 1 == column)
            {
                field = value;
                // The field may live in scratch: later fields unquote after it.
                kept = scratch.Overlaps(value) ? kept + value.Length : kept;
            }

            all?.Add(ValueText.Show(value));
            if (rest.IsEmpty)
            {
                return true;
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
