using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Primitives;

namespace Portal.Audit;

/// <summary>
/// How a view's fields are written in a query string and read back, declared once per view type (<see cref="AuditFilter"/>,
/// <see cref="ActivityFilter"/>): the same names serve the page's URL, the export's URL and the export's audit event.
/// </summary>
internal sealed class QueryFields<T>(params (string Name, Func<T, string?> Write, Func<T, string, T> Read)[] fields)
    where T : new()
{
    /// <summary>The set fields as query-string pairs, in a fixed order.</summary>
    public IEnumerable<KeyValuePair<string, string?>> ToQuery(T view) => fields
        .Select(field => KeyValuePair.Create(field.Name, field.Write(view)))
        .Where(pair => !string.IsNullOrWhiteSpace(pair.Value));

    /// <summary>
    /// Every field's name with its value, null where unset: for <c>NavigationManager.GetUriWithQueryParameters</c>, which
    /// then removes the unset ones from the URL.
    /// </summary>
    public IReadOnlyDictionary<string, object?> ToParameters(T view)
    {
        var set = ToQuery(view).ToDictionary(pair => pair.Key, pair => pair.Value, StringComparer.Ordinal);
        return fields.ToDictionary(field => field.Name, field => (object?)set.GetValueOrDefault(field.Name), StringComparer.Ordinal);
    }

    /// <summary>The view a query string describes; unknown or malformed values are ignored.</summary>
    public T FromQuery(IEnumerable<KeyValuePair<string, StringValues>> query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var values = query.ToDictionary(pair => pair.Key, pair => pair.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        return fields.Aggregate(new T(), (view, field) =>
            values.TryGetValue(field.Name, out var value) && !string.IsNullOrWhiteSpace(value) ? field.Read(view, value.Trim()) : view);
    }

    public T FromUri(string uri) => FromQuery(QueryHelpers.ParseQuery(new Uri(uri).Query));

    /// <summary>"user=…, app=…": what the trail records for an export.</summary>
    public string Describe(T view) => string.Join(", ", ToQuery(view).Select(pair => $"{pair.Key}={pair.Value}"));
}
