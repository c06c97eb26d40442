using Portal.Data;
using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Portal.Auth;
using Portal.Packages;
using Portal.Uploads;

namespace Portal.Audit;

/// <summary>Downloads that leave the portal: the audit export, an upload's problem report, the package that was sent. Each is audited.</summary>
public static class AuditEndpoints
{
    public static void MapAuditEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/audit/export", ExportAsync).RequireAuthorization(AuthExtensions.AuditorPolicy);
        endpoints.MapGet("/api/uploads/{id:guid}/problem-report", ProblemReportAsync);
        endpoints.MapGet("/api/uploads/{id:guid}/sent-file", SentFileAsync).RequireAuthorization(AuthExtensions.AuditorPolicy);
    }

    /// <summary>The filtered audit log as CSV or JSON, streamed row by row.</summary>
    internal static async Task<IResult> ExportAsync(HttpContext context, string? format, string? user, DateTime? from, DateTime? to, string? app,
        string? status, string? kind, long? uploadId, string? fileName, string? sha256, AuditSearch search, AuditStore audit, TimeProvider clock)
    {
        if (format is not ("csv" or "json"))
        {
            return TypedResults.Problem(detail: "format must be csv or json.", statusCode: StatusCodes.Status400BadRequest);
        }

        var filter = new AuditFilter
        {
            User = user, FromUtc = from?.ToUniversalTime(), ToUtc = to?.ToUniversalTime(), TencentApp = app, Status = status,
            PackageKind = kind, TencentUploadId = uploadId, FileName = fileName, Sha256 = sha256,
        };
        var actor = PortalUser.From(context.User).Actor;
        await audit.AppendAsync(AuditEventKinds.AuditExported, actor, null, new { format, filter = filter.ToString() });

        var stamp = clock.GetUtcNow().UtcDateTime.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
        var rows = search.StreamAsync(filter, context.RequestAborted);
        return format == "csv"
            ? new StreamedFile($"audit-{stamp}.csv", "text/csv; charset=utf-8", stream => AuditExport.WriteCsvAsync(rows, stream, context.RequestAborted))
            : new StreamedFile($"audit-{stamp}.json", "application/json; charset=utf-8", stream => AuditExport.WriteJsonAsync(rows, stream, context.RequestAborted));
    }

    /// <summary>The validator's full problem report, for the uploader and auditors.</summary>
    internal static async Task<IResult> ProblemReportAsync(HttpContext context, Guid id, AuditSearch search, AuditStore audit, StagingStore staging)
    {
        var entry = await VisibleUploadAsync(context, id, search);
        var path = staging.ProblemReportPathOf(id);
        if (entry is null || !File.Exists(path))
        {
            return NoSuchFile();
        }

        await audit.AppendAsync(AuditEventKinds.ProblemReportDownloaded, PortalUser.From(context.User).Actor, id, new { });
        return TypedResults.PhysicalFile(path, "text/csv; charset=utf-8", $"{Path.GetFileNameWithoutExtension(entry.Upload.FileName)}.problems.csv");
    }

    /// <summary>Exactly the bytes that went to Tencent, for auditors, while the staged file is kept.</summary>
    internal static async Task<IResult> SentFileAsync(HttpContext context, Guid id, AuditSearch search, AuditStore audit, StagingStore staging)
    {
        var entry = await search.FindAsync(id);
        if (entry?.State.SentVariant is not { } variant || entry.State.StagedPurged)
        {
            return NoSuchFile();
        }

        var (path, name) = variant == SendChoice.Clean
            ? (staging.CleanPathOf(id), entry.Upload.CleanFileName!)
            : (staging.PathOf(id), entry.Upload.FileName);
        if (!File.Exists(path))
        {
            return NoSuchFile();
        }

        await audit.AppendAsync(AuditEventKinds.SentFileDownloaded, PortalUser.From(context.User).Actor, id, new { variant });
        return TypedResults.PhysicalFile(path, "application/octet-stream", name);
    }

    /// <summary>The upload when the signed-in user may see it (its uploader or an auditor); otherwise null, as if it did not exist.</summary>
    private static async Task<AuditEntry?> VisibleUploadAsync(HttpContext context, Guid id, AuditSearch search)
    {
        var entry = await search.FindAsync(id);
        var user = PortalUser.From(context.User);
        return entry is not null && (entry.Upload.UserId == user.Id || context.User.IsInRole(PortalRoles.Auditor)) ? entry : null;
    }

    private static ProblemHttpResult NoSuchFile() =>
        TypedResults.Problem(detail: "There is no such file: the upload does not exist, is not yours, or its staged files were removed.", statusCode: StatusCodes.Status404NotFound);

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

/// <summary>Writes audit entries as CSV or JSON, one at a time.</summary>
public static class AuditExport
{
    private static readonly string[] Header =
    [
        "received_at", "user_id", "user_name", "user_email", "user_issuer", "client_ip", "tencent_app", "tencent_region", "package_kind",
        "file_name", "file_size", "sha256", "rows", "valid", "invalid", "duplicates", "status", "sent_variant", "sent_sha256",
        "upload_id", "ret_code", "http_status", "message", "portal_upload_id",
    ];

    public static async Task WriteCsvAsync(IAsyncEnumerable<AuditEntry> entries, Stream output, CancellationToken cancellationToken)
    {
        await using var writer = new StreamWriter(output, new UTF8Encoding(false), 64 * 1024, leaveOpen: true);
        await writer.WriteLineAsync(string.Join(',', Header));
        await foreach (var (u, s) in entries.WithCancellation(cancellationToken))
        {
            var fields = new object?[]
            {
                DbFormat.Timestamp(u.ReceivedAt), u.UserId, u.UserName, u.UserEmail, u.UserIssuer, u.ClientIp, u.TencentApp, u.TencentRegion,
                u.PackageKind, u.FileName, u.FileSize, u.Sha256, u.RowCount, u.ValidCount, u.InvalidCount, u.DuplicateCount, s.Status,
                s.SentVariant, s.SentSha256, s.TencentUploadId, s.RetCode, s.HttpStatus, s.Message, DbFormat.Key(u.Id),
            };
            await writer.WriteLineAsync(string.Join(',', fields.Select(CsvField)));
        }
    }

    public static async Task WriteJsonAsync(IAsyncEnumerable<AuditEntry> entries, Stream output, CancellationToken cancellationToken)
    {
        // The JSON writer fills a small buffer that is copied out asynchronously every 32 KB, so a 100,000-row export
        // never sits in memory (and Kestrel's response stream is never written synchronously).
        var buffer = new ArrayBufferWriter<byte>(64 * 1024);
        await using var json = new Utf8JsonWriter(buffer);
        json.WriteStartArray();
        await foreach (var entry in entries.WithCancellation(cancellationToken))
        {
            JsonSerializer.Serialize(json, entry, AuditJson.Options);
            if (buffer.WrittenCount > 32 * 1024)
            {
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
}

internal static class AuditJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);
}
