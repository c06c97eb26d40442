using System.Globalization;

namespace Portal.Data;

/// <summary>
/// One column of a table, declared once: its name in the database, the property of <typeparamref name="TRow"/> it is read
/// into, and its value as stored (ids and times already in their <see cref="DbFormat"/> text). Inserts, selects, exports
/// and fingerprints are all built from a list of these, so a column is never written out twice.
/// </summary>
/// <remarks><c>Since</c> is the version of the row's fingerprint that first covers the column (see <see cref="DbColumns.Fingerprint"/>).</remarks>
public sealed record DbColumn<TRow>(string Name, string Property, Func<TRow, object?> Value, int Since = 1);

/// <summary>What a list of <see cref="DbColumn{TRow}"/> builds.</summary>
public static class DbColumns
{
    /// <summary><c>a.name AS Property, …</c>: a select list Dapper reads back into the row type.</summary>
    public static string SelectList<TRow>(this IEnumerable<DbColumn<TRow>> columns, string alias) =>
        string.Join(", ", columns.Select(column => $"{alias}.{column.Name} AS {column.Property}"));

    /// <summary><c>INSERT INTO table (…) VALUES (@…)</c> with a parameter per column.</summary>
    public static string Insert<TRow>(this IReadOnlyList<DbColumn<TRow>> columns, string table) =>
        $"INSERT INTO {table} ({string.Join(", ", columns.Select(column => column.Name))}) VALUES ({string.Join(", ", columns.Select(column => "@" + column.Property))})";

    /// <summary>The parameters of <see cref="Insert{TRow}"/> for one row.</summary>
    public static Dapper.DynamicParameters Parameters<TRow>(this IEnumerable<DbColumn<TRow>> columns, TRow row)
    {
        var parameters = new Dapper.DynamicParameters();
        foreach (var column in columns)
        {
            parameters.Add(column.Property, column.Value(row));
        }

        return parameters;
    }

    /// <summary>
    /// SHA-256 over the values of the columns a fingerprint of <paramref name="version"/> covers, in declaration order. A
    /// column added later carries a higher <see cref="DbColumn{TRow}.Since"/>, so rows fingerprinted before it still verify.
    /// </summary>
    public static string Fingerprint<TRow>(this IEnumerable<DbColumn<TRow>> columns, TRow row, int version)
    {
        var content = string.Join("\n", columns.Where(column => column.Since <= version).Select(column => column.Value(row) switch
        {
            null => "-",
            bool flag => flag ? "1" : "0",
            IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
            var value => $"{value.ToString()!.Length}:{value}",
        }));
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(content)));
    }
}
