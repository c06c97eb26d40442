using System.Text;

namespace Portal.Packages;

/// <summary>Reads one CSV row (RFC 4180 quoting) that must hold a single field.</summary>
internal static class CsvRow
{
    /// <summary>The row's only field with its quotes undone, or null when the row has more than one field.</summary>
    public static string? SingleField(string row)
    {
        if (!row.Contains(',', StringComparison.Ordinal))
        {
            return Unquote(row);
        }

        if (!row.StartsWith('"'))
        {
            return null;
        }

        var value = new StringBuilder(row.Length);
        var index = 1;
        while (index < row.Length)
        {
            var c = row[index];
            if (c == '"')
            {
                if (index + 1 < row.Length && row[index + 1] == '"')
                {
                    value.Append('"');
                    index += 2;
                    continue;
                }

                // Closing quote: anything after it (such as ",second") is another field.
                return index == row.Length - 1 ? value.ToString() : null;
            }

            value.Append(c);
            index++;
        }

        return value.ToString();
    }

    private static string Unquote(string field) =>
        field.Length >= 2 && field[0] == '"' && field[^1] == '"' ? field[1..^1].Replace("\"\"", "\"", StringComparison.Ordinal) : field;
}
