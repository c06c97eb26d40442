using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Portal.Auth;
using Portal.Data;
using Portal.Packages;
using Portal.Uploads;

namespace Portal.Audit;

/// <summary>
/// <c>GET /api/audit/export?format=csv|json&amp;…</c>: the audit log's current view (<see cref="AuditFilter"/>), streamed row
/// by row. Its columns are the upload's and its state's, as declared once in <see cref="UploadRecord.Columns"/> and
/// <see cref="UploadState.Columns"/>. Every export is itself recorded.
/// </summary>
public static class AuditExport
{
    public const string Route = "/api/audit/export";

    /// <summary><c>GET /api/audit/activity/export?format=csv&amp;…</c>: the activity view's events (<see cref="ActivityFilter"/>), each with its sentence.</summary>
    public const string ActivityRoute = "/api/audit/activity/export";

    /// <summary>Each column of an export: its name (the database column's) and its value as stored.</summary>
    private static readonly IReadOnlyList<(string Name, Func<UploadEntry, object?> Value)> Columns =
    [
        .. UploadRecord.Columns.Select(column => (column.Name, (Func<UploadEntry, object?>)(entry => column.Value(entry.Upload)))),
        .. UploadState.Columns.Where(column => column.Name != "received_at")
            .Select(column => (column.Name, (Func<UploadEntry, object?>)(entry => column.Value(entry.State)))),
    ];

    public static void MapAuditExport(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(Route, ExportAsync).RequireAuthorization(AuthExtensions.AuditorPolicy);
        endpoints.MapGet(ActivityRoute, ExportActivityAsync).RequireAuthorization(AuthExtensions.AuditorPolicy);
    }

    /// <summary>The events as CSV, in the reader's language for the sentence and as stored for the rest; the export is itself recorded.</summary>
    internal static async Task<IResult> ExportActivityAsync(HttpContext context, string? format, ActivityFilter filter, ActivitySearch search, EventSentences sentences, AuditTrail trail, TimeProvider clock)
    {
        if (format is not "csv")
        {
            return TypedResults.Problem(detail: "format must be csv.", statusCode: StatusCodes.Status400BadRequest);
        }

        await trail.AppendAsync(PortalUser.From(context.User).Actor, new AuditExported(format, $"activity: {filter}"));
        var stamp = clock.GetUtcNow().UtcDateTime.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
        IReadOnlyList<(string Name, Func<ActivityEntry, object?> Value)> columns =
        [
            ("seq", entry => entry.Event.Seq),
            ("occurred_at", entry => DbFormat.Timestamp(entry.Event.OccurredAt)),
            ("kind", entry => entry.Event.Kind),
            ("actor_id", entry => entry.Event.ActorId),
            ("actor_name", entry => entry.Event.ActorName),
            ("upload_id", entry => entry.Event.UploadId?.ToString("N")),
            ("file_name", entry => entry.Upload?.FileName),
            ("tencent_app", entry => entry.Upload?.TencentApp),
            ("what_happened", entry => sentences.Describe(entry.Event, entry.Upload)),
            ("data", entry => entry.Event.Data),
        ];
        var rows = search.StreamAsync(filter, context.RequestAborted);
        return new StreamedFile($"activity-{stamp}.csv", "text/csv; charset=utf-8", stream => WriteCsvAsync(rows, columns, stream, context.RequestAborted));
    }

    internal static async Task<IResult> ExportAsync(HttpContext context, string? format, AuditFilter filter, AuditSearch search, AuditTrail trail, TimeProvider clock)
    {
        if (format is not ("csv" or "json"))
        {
            return TypedResults.Problem(detail: "format must be csv or json.", statusCode: StatusCodes.Status400BadRequest);
        }

        await trail.AppendAsync(PortalUser.From(context.User).Actor, new AuditExported(format, filter.ToString()));
        var stamp = clock.GetUtcNow().UtcDateTime.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
        var rows = search.StreamAsync(filter, context.RequestAborted);
        return format == "csv"
            ? new StreamedFile($"audit-{stamp}.csv", "text/csv; charset=utf-8", stream => WriteCsvAsync(rows, stream, context.RequestAborted))
            : new StreamedFile($"audit-{stamp}.json", "application/json; charset=utf-8", stream => WriteJsonAsync(rows, stream, context.RequestAborted));
    }

    public static Task WriteCsvAsync(IAsyncEnumerable<UploadEntry> entries, Stream output, CancellationToken cancellationToken) =>
        WriteCsvAsync(entries, Columns, output, cancellationToken);

    private static async Task WriteCsvAsync<T>(IAsyncEnumerable<T> entries, IReadOnlyList<(string Name, Func<T, object?> Value)> columns, Stream output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entries);
        await using var writer = new StreamWriter(output, new UTF8Encoding(false), 64 * 1024, leaveOpen: true);
        await writer.WriteLineAsync(string.Join(',', columns.Select(column => column.Name)));
        await foreach (var entry in entries.WithCancellation(cancellationToken))
        {
            await writer.WriteLineAsync(string.Join(',', columns.Select(column => CsvField(column.Value(entry)))));
        }
    }

    public static async Task WriteJsonAsync(IAsyncEnumerable<UploadEntry> entries, Stream output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentNullException.ThrowIfNull(output);
        // The JSON writer fills a small buffer that is copied out asynchronously every 32 KB, so a 100,000-row export
        // never sits in memory (and Kestrel's response stream is never written synchronously).
        var buffer = new ArrayBufferWriter<byte>(64 * 1024);
        await using var json = new Utf8JsonWriter(buffer);
        json.WriteStartArray();
        await foreach (var entry in entries.WithCancellation(cancellationToken))
        {
            json.WriteStartObject();
            foreach (var (name, value) in Columns)
            {
                json.WritePropertyName(name);
                JsonSerializer.Serialize(json, value(entry));
            }

            json.WriteEndObject();
            if (buffer.WrittenCount > 32 * 1024)
            {
                await json.FlushAsync(cancellationToken);
                await DrainAsync(buffer, output, cancellationToken);
            }
        }

        json.WriteEndArray();
        await json.FlushAsync(cancellationToken);
        await DrainAsync(buffer, output, cancellationToken);
    }

    private static async Task DrainAsync(ArrayBufferWriter<byte> buffer, Stream output, CancellationToken cancellationToken)
    {
        await output.WriteAsync(buffer.WrittenMemory, cancellationToken);
        buffer.ResetWrittenCount();
    }

    /// <summary>Text as the problem report writes it (formula prefixes defused, RFC 4180 quoting); numbers and times as they are.</summary>
    public static string CsvField(object? value) => value switch
    {
        null => "",
        string text => ValueText.ForCsv(text),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => ValueText.ForCsv(value.ToString() ?? ""),
    };

    /// <summary>A download written straight to the response body.</summary>
    private sealed class StreamedFile(string fileName, string contentType, Func<Stream, Task> write) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.ContentType = contentType;
            httpContext.Response.Headers.ContentDisposition = $"attachment; filename=\"{fileName}\"";
            await write(httpContext.Response.Body);
        }
    }
}
