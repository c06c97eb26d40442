using System.Globalization;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Primitives;
using Portal.Uploads;

namespace Portal.Audit;

/// <summary>Columns the upload list can be sorted by.</summary>
public enum AuditSort
{
    ReceivedAt,
    FileName,
    FileSize,
    UserName,
    TencentApp,
    Sha256,
    RowCount,
    Status,
    TencentUploadId,
}

/// <summary>
/// One view of the upload list: what an auditor (or an uploader, for their own uploads) is looking for, and its order.
/// The same type serves the grid, its URL, the export endpoint, the export's audit event and the SQL; its query-string
/// names are declared once, in <see cref="Fields"/>. Empty fields do not filter.
/// </summary>
public sealed record AuditFilter
{
    /// <summary>E-mail or OIDC subject of the uploader.</summary>
    public string? User { get; init; }
    public DateTime? FromUtc { get; init; }
    public DateTime? ToUtc { get; init; }
    public string? TencentApp { get; init; }
    public UploadStatus? Status { get; init; }
    public string? PackageKind { get; init; }
    public long? TencentUploadId { get; init; }

    /// <summary>Start of the file name, any letter case.</summary>
    public string? FileName { get; init; }

    /// <summary>Start of the SHA-256 of the original or the clean package.</summary>
    public string? Sha256 { get; init; }

    public AuditSort Sort { get; init; } = AuditSort.ReceivedAt;
    public bool Descending { get; init; } = true;

    /// <summary>Set by the server for "My uploads", never from input.</summary>
    public string? OwnerId { get; init; }

    /// <summary>No condition is set (the order and the owner aside).</summary>
    public bool IsEmpty => this with { Sort = AuditSort.ReceivedAt, Descending = true, OwnerId = null } == new AuditFilter();

    /// <summary>Each field's name in a query string, how it is written and how it is read back.</summary>
    private static readonly QueryFields<AuditFilter> Fields = new(
        ("user", f => f.User, (f, v) => f with { User = v }),
        ("from", f => Date(f.FromUtc), (f, v) => f with { FromUtc = ParseDate(v) }),
        ("to", f => Date(f.ToUtc), (f, v) => f with { ToUtc = ParseDate(v) }),
        ("app", f => f.TencentApp, (f, v) => f with { TencentApp = v }),
        ("status", f => f.Status?.Text(), (f, v) => f with { Status = Enum.TryParse<UploadStatus>(v, ignoreCase: true, out var s) ? s : null }),
        ("kind", f => f.PackageKind, (f, v) => f with { PackageKind = v }),
        ("uploadId", f => f.TencentUploadId?.ToString(CultureInfo.InvariantCulture),
            (f, v) => f with { TencentUploadId = long.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null }),
        ("fileName", f => f.FileName, (f, v) => f with { FileName = v }),
        ("sha256", f => f.Sha256, (f, v) => f with { Sha256 = v }),
        ("sort", f => f.Sort == AuditSort.ReceivedAt ? null : f.Sort.ToString(),
            (f, v) => f with { Sort = Enum.TryParse<AuditSort>(v, ignoreCase: true, out var sort) ? sort : AuditSort.ReceivedAt }),
        ("order", f => f.Descending ? null : "asc", (f, v) => f with { Descending = !string.Equals(v, "asc", StringComparison.OrdinalIgnoreCase) }));

    /// <summary>How many fields filter (the order aside), for the phone's "Filters (2 active)" button.</summary>
    public int ActiveCount => Fields.ToQuery(this with { Sort = AuditSort.ReceivedAt, Descending = true }).Count();

    /// <summary>The set fields as query-string pairs, in a fixed order.</summary>
    public IEnumerable<KeyValuePair<string, string?>> ToQuery() => Fields.ToQuery(this);

    /// <inheritdoc cref="QueryFields{T}.ToParameters"/>
    public IReadOnlyDictionary<string, object?> ToQueryParameters() => Fields.ToParameters(this);

    /// <summary>The view the query string of <paramref name="uri"/> describes (see <see cref="FromQuery"/>).</summary>
    public static AuditFilter FromUri(string uri) => Fields.FromUri(uri);

    /// <summary><paramref name="path"/> with this view in its query string (and any extra pairs first).</summary>
    public string AppendTo(string path, params KeyValuePair<string, string?>[] extra) => QueryHelpers.AddQueryString(path, extra.Concat(ToQuery()));

    /// <summary>The view a query string describes; unknown or malformed values are ignored. Never sets <see cref="OwnerId"/>.</summary>
    public static AuditFilter FromQuery(IEnumerable<KeyValuePair<string, StringValues>> query) => Fields.FromQuery(query);

    /// <summary>Minimal API binding: an endpoint parameter of this type is read from the query string.</summary>
    public static ValueTask<AuditFilter?> BindAsync(HttpContext context) => ValueTask.FromResult<AuditFilter?>(FromQuery(context.Request.Query));

    /// <summary>"user=…, app=…": what the trail records for an export.</summary>
    public override string ToString() => Fields.Describe(this);

    /// <summary>A day as <c>2026-12-01</c> (what the date pickers set, short enough to read in a shared link); other times in full.</summary>
    internal static string? Date(DateTime? value) => value?.ToString(value.Value.TimeOfDay == TimeSpan.Zero ? "yyyy-MM-dd" : "O", CultureInfo.InvariantCulture);

    internal static DateTime? ParseDate(string value) =>
        DateTime.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var date) ? date : null;
}
