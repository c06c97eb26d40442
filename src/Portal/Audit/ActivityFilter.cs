using Microsoft.AspNetCore.WebUtilities;

namespace Portal.Audit;

/// <summary>
/// One view of the activity list (every recorded event): who (part of a name or email), what kind, which app, when. Like
/// <see cref="AuditFilter"/>, it serves the page, its URL, the export and the export's own event; empty fields do not filter.
/// </summary>
public sealed record ActivityFilter
{
    public string? User { get; init; }

    /// <summary>An event kind (<see cref="AuditEventData.Kinds"/>); another value matches nothing.</summary>
    public string? Kind { get; init; }

    /// <summary>Only events of uploads to this Tencent app.</summary>
    public string? TencentApp { get; init; }

    public DateTime? FromUtc { get; init; }
    public DateTime? ToUtc { get; init; }

    public bool IsEmpty => this == new ActivityFilter();

    /// <summary>How many fields filter, for the phone's "Filters (2 active)" button.</summary>
    public int ActiveCount => ToQuery().Count();

    private static readonly QueryFields<ActivityFilter> Fields = new(
        ("user", f => f.User, (f, v) => f with { User = v }),
        ("kind", f => f.Kind, (f, v) => f with { Kind = v }),
        ("app", f => f.TencentApp, (f, v) => f with { TencentApp = v }),
        ("from", f => AuditFilter.Date(f.FromUtc), (f, v) => f with { FromUtc = AuditFilter.ParseDate(v) }),
        ("to", f => AuditFilter.Date(f.ToUtc), (f, v) => f with { ToUtc = AuditFilter.ParseDate(v) }));

    public IEnumerable<KeyValuePair<string, string?>> ToQuery() => Fields.ToQuery(this);

    /// <inheritdoc cref="QueryFields{T}.ToParameters"/>
    public IReadOnlyDictionary<string, object?> ToQueryParameters() => Fields.ToParameters(this);

    public string AppendTo(string path, params KeyValuePair<string, string?>[] extra) => QueryHelpers.AddQueryString(path, extra.Concat(ToQuery()));

    public static ActivityFilter FromUri(string uri) => Fields.FromUri(uri);

    /// <summary>Minimal API binding: an endpoint parameter of this type is read from the query string.</summary>
    public static ValueTask<ActivityFilter?> BindAsync(HttpContext context) => ValueTask.FromResult<ActivityFilter?>(Fields.FromQuery(context.Request.Query));

    /// <summary>"user=…, kind=…": what the trail records for an export.</summary>
    public override string ToString() => Fields.Describe(this);
}
