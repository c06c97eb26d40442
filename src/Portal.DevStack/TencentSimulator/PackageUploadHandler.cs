using System.Buffers;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace Portal.DevStack.TencentSimulator;

/// <summary>
/// <c>POST {PathPrefix}/v3/push/package/upload</c>: Basic auth, a multipart <c>file</c> part streamed (never buffered in
/// memory) through SHA-256, a byte counter and Tencent's rules on the text (<see cref="PackageText"/>; a .zip is spooled
/// to disk, then its entry unpacked through them), then <c>{retCode, errMsg, uploadId}</c> with HTTP 200.
/// The whole request body is always read before answering. Faults (<see cref="TencentSimulatorFaults"/>) come from the
/// request's header or the authenticated app's setting.
/// </summary>
internal sealed class PackageUploadHandler(
    TencentSimulatorSettings settings,
    TencentSimulatorRecorder recorder,
    ILogger<PackageUploadHandler> logger)
{
    private const string FilePartName = "file";
    private const int BufferSize = 81920;
    private const int MaxBoundaryLength = 70;
    private const string Anonymous = "(unauthenticated)";

    /// <summary>What a .zip may unpack to: as much as Tencent takes in a file.</summary>
    private const long MaxUnpackedSize = TencentSimulatorSettings.MaxFileSize;

    /// <summary>
    /// Account lists deflate to a third or a fifth of their size: unpacking to a hundred times the archive means one made
    /// to (a zip bomb), once past a first MiB where the archive's headers weigh.
    /// </summary>
    private const int MaxCompressionRatio = 100;

    private const long UnpackedSizeWithAnyRatio = 1024 * 1024;

    /// <summary>What a captive portal or web firewall answers in place of Tencent, with HTTP 200.</summary>
    private static readonly byte[] HtmlInsteadOfJson = "<html><head><title>Welcome</title></head><body>Request received.</body></html>"u8.ToArray();

    public async Task HandleAsync(HttpContext context)
    {
        recorder.CountRequest();
        SimulatorFault? fault = null;
        if (context.Request.Headers.TryGetValue(TencentSimulatorFaults.Header, out var header))
        {
            if (!SimulatorFault.TryParse(header.ToString(), out var requested, out var error))
            {
                context.Response.StatusCode = StatusCodes.Status400BadRequest;
                await context.Response.WriteAsync($"{TencentSimulatorFaults.Header}: {error}", context.RequestAborted);
                return;
            }

            fault = requested;
        }

        var (app, authFailure, accessId) = Authenticate(context.Request.Headers.Authorization);
        fault ??= app?.Fault;
        if (fault is not null)
        {
            logger.FaultInjected(fault.Text, accessId);
        }

        var body = fault is { ResetAfterBytes: not null } or { SlowReadBytesPerSecond: not null }
            ? new FaultyRequestStream(context.Request.Body, fault, context)
            : context.Request.Body;
        try
        {
            var answer = fault is { Refuses: true } ? new Answer(fault.Status ?? StatusCodes.Status200OK, fault.RetCode)
                : authFailure is { } retCode ? Reject(accessId, retCode, retCode == TencentRetCodes.AuthFailure
                    ? "missing, malformed or wrong Basic credentials"
                    : "no app with this AccessID")
                : await ReceiveAsync(context.Request, body, accessId, context.RequestAborted);
            await DrainAsync(body, context.RequestAborted);
            if (fault is { Latency: var latency } && latency > TimeSpan.Zero)
            {
                await Task.Delay(latency, context.RequestAborted);
            }

            if (fault is { ResetAfterBody: true })
            {
                context.Abort();
                return;
            }

            await WriteAsync(context, answer, fault?.Answer);
        }
        catch (Exception) when (context.RequestAborted.IsCancellationRequested)
        {
            // The caller left, or a fault dropped the connection: there is no one to answer.
        }
    }

    /// <summary>
    /// Checks <c>Authorization: Basic base64(AccessID:SecretKey)</c>: an AccessID the simulator does not know is
    /// 1008035 (as Tencent answers a wrong AccessID or access point), a wrong or missing secret 1008003.
    /// </summary>
    private (SimulatorApp? App, int? RetCode, string AccessId) Authenticate(StringValues header)
    {
        const string scheme = "Basic ";
        if (header.Count != 1 || header[0] is not { } value || !value.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            return (null, TencentRetCodes.AuthFailure, Anonymous);
        }

        string decoded;
        try
        {
            decoded = Encoding.UTF8.GetString(Convert.FromBase64String(value[scheme.Length..].Trim()));
        }
        catch (FormatException)
        {
            return (null, TencentRetCodes.AuthFailure, Anonymous);
        }

        var colon = decoded.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            return (null, TencentRetCodes.AuthFailure, Anonymous);
        }

        var tried = decoded[..colon];
        var logged = tried.Length <= 32 ? tried : tried[..32];
        var app = settings.Apps.FirstOrDefault(candidate => string.Equals(candidate.Credential.AccessId, tried, StringComparison.Ordinal));
        if (app is null)
        {
            return (null, TencentRetCodes.AccessIdOrDomainNotCorrect, logged);
        }

        var secretKey = Encoding.UTF8.GetBytes(decoded[(colon + 1)..]);
        return CryptographicOperations.FixedTimeEquals(secretKey, Encoding.UTF8.GetBytes(app.Credential.SecretKey))
            ? (app, null, tried)
            : (null, TencentRetCodes.AuthFailure, logged);
    }

    /// <summary>Reads the multipart body; records and answers the package when it follows Tencent's rules.</summary>
    private async Task<Answer> ReceiveAsync(HttpRequest request, Stream body, string accessId, CancellationToken cancellationToken)
    {
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType)
            || !mediaType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
        {
            return Reject(accessId, TencentRetCodes.ParameterParseError, "the request is not multipart/form-data");
        }

        var boundary = HeaderUtilities.RemoveQuotes(mediaType.Boundary);
        if (StringSegment.IsNullOrEmpty(boundary) || boundary.Length > MaxBoundaryLength)
        {
            return Reject(accessId, TencentRetCodes.ParameterParseError, "the multipart boundary is missing or too long");
        }

        UploadOutcome? outcome = null;
        try
        {
            var reader = new MultipartReader(boundary.Value!, body) { BodyLengthLimit = null };
            MultipartSection? section;

            // Reading the next section drains the previous one, so the whole body is consumed before answering.
            while ((section = await reader.ReadNextSectionAsync(cancellationToken)) is not null)
            {
                if (outcome is null && IsFilePart(section, out var fileName))
                {
                    outcome = await ReceiveFileAsync(section.Body, fileName, cancellationToken);
                }
            }
        }
        catch (BadHttpRequestException exception) when (exception.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return Reject(accessId, TencentRetCodes.UploadFileError, "the request body is larger than 101 MB");
        }
        catch (Exception exception) when (exception is IOException or InvalidDataException && !cancellationToken.IsCancellationRequested)
        {
            return Reject(accessId, TencentRetCodes.ParameterParseError, "the multipart body is malformed: " + exception.Message);
        }

        if (outcome is null)
        {
            return Reject(accessId, TencentRetCodes.MissingParameter, "no part named \"file\" with a file name");
        }

        if (outcome.RetCode != TencentRetCodes.Success)
        {
            return Reject(accessId, outcome.RetCode, outcome.Reason);
        }

        var package = new ReceivedPackage(
            recorder.NextUploadId(),
            accessId,
            outcome.FileName,
            outcome.Size,
            outcome.Sha256Hex,
            outcome.RowCount,
            DateTimeOffset.UtcNow);
        recorder.Record(package);
        logger.UploadAccepted(package.UploadId, accessId, package.FileName, package.Size, package.RowCount, package.Sha256Hex);
        return new Answer(StatusCodes.Status200OK, TencentRetCodes.Success, package.UploadId);
    }

    /// <summary>Reads what is left of the request body (nothing, usually), tolerating a body over the size limit.</summary>
    private static async Task DrainAsync(Stream body, CancellationToken cancellationToken)
    {
        try
        {
            await body.CopyToAsync(Stream.Null, cancellationToken);
        }
        catch (BadHttpRequestException exception) when (exception.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            // Answered already by the file rules (1008011) or by the refusal being given.
        }
    }

    private static bool IsFilePart(MultipartSection section, out string fileName)
    {
        fileName = string.Empty;
        var disposition = section.GetContentDispositionHeader();
        if (disposition is null
            || !disposition.DispositionType.Equals("form-data", StringComparison.OrdinalIgnoreCase)
            || !HeaderUtilities.RemoveQuotes(disposition.Name).Equals(FilePartName, StringComparison.Ordinal))
        {
            return false;
        }

        // filename* (RFC 5987) wins over filename; the parser has already decoded it.
        var name = disposition.FileNameStar.HasValue
            ? disposition.FileNameStar.Value
            : HeaderUtilities.RemoveQuotes(disposition.FileName).Value;

        // Some clients (Python's urllib3 sample) send the path as opened: keep the base name only.
        name ??= string.Empty;
        fileName = name[(name.LastIndexOfAny(['/', '\\']) + 1)..];
        return true;
    }

    /// <summary>
    /// Tencent documents no code per file rule: the simulator answers 1008007 (invalid parameter) for the file name,
    /// 1008012 for an empty file and 1008011 (upload file error) for the size, the zip layout and the text
    /// (<see cref="PackageText"/>).
    /// </summary>
    private async Task<UploadOutcome> ReceiveFileAsync(Stream body, string fileName, CancellationToken cancellationToken)
    {
        if (fileName.Length is 0 or > TencentSimulatorSettings.MaxFileNameLength)
        {
            return UploadOutcome.Failed(TencentRetCodes.InvalidParameter, $"the file name must have 1-{TencentSimulatorSettings.MaxFileNameLength} characters");
        }

        var extension = Path.GetExtension(fileName).ToUpperInvariant();
        if (extension is not (".ZIP" or ".TXT" or ".CSV"))
        {
            return UploadOutcome.Failed(TencentRetCodes.InvalidParameter, "the file must be a .zip, .txt or .csv");
        }

        using var sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var text = extension == ".ZIP" ? null : new PackageText(isCsv: extension == ".CSV");
        long size = 0;
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);

        // A .zip is spooled to a temporary file (deleted on close) so that its entry can be read; text is never stored.
        await using var spool = text is null ? CreateSpoolFile() : null;
        try
        {
            int read;
            while ((read = await body.ReadAsync(buffer.AsMemory(0, BufferSize), cancellationToken)) > 0)
            {
                sha256.AppendData(buffer.AsSpan(0, read));
                size += read;

                // Past 100 MB the answer is known: the rest is only hashed and counted.
                if (size <= TencentSimulatorSettings.MaxFileSize)
                {
                    text?.Add(buffer.AsSpan(0, read));
                    if (spool is not null)
                    {
                        await spool.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                    }
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        if (size == 0)
        {
            return UploadOutcome.Failed(TencentRetCodes.UploadEmptyFile, "the file is empty");
        }

        if (size > TencentSimulatorSettings.MaxFileSize)
        {
            return UploadOutcome.Failed(TencentRetCodes.UploadFileError, "the file is larger than 100 MB");
        }

        var (rowCount, problem) = text is null ? await ReadZipAsync(spool!, cancellationToken) : text.Complete();
        if (problem is not null)
        {
            return UploadOutcome.Failed(TencentRetCodes.UploadFileError, problem);
        }

        var hash = Convert.ToHexStringLower(sha256.GetHashAndReset());
        return new UploadOutcome(TencentRetCodes.Success, string.Empty, fileName, size, hash, rowCount);
    }

    private static FileStream CreateSpoolFile() => new(
        Path.Combine(Path.GetTempPath(), "devstack-simulator-" + Guid.NewGuid().ToString("N") + ".zip"),
        FileMode.CreateNew,
        FileAccess.ReadWrite,
        FileShare.None,
        BufferSize,
        FileOptions.Asynchronous | FileOptions.DeleteOnClose);

    /// <summary>
    /// Reads the only entry of a .zip, a .txt or .csv outside any folder, through <see cref="PackageText"/>. Unpacking
    /// stops once more than 100 MiB came out, or once, past the first MiB, more than 100 times the archive bytes read so
    /// far (the entry starts the file): a zip bomb of gigabytes is refused after a bounded read instead of being unpacked
    /// in full. Every byte unpacked is counted in <see cref="TencentSimulatorRecorder.UnpackedBytes"/>.
    /// </summary>
    private async Task<(long Rows, string? Problem)> ReadZipAsync(FileStream spool, CancellationToken cancellationToken)
    {
        const string layout = "the .zip must hold exactly one .txt or .csv and no folders";
        spool.Position = 0;
        long unpacked = 0;
        try
        {
            await using var archive = await ZipArchive.CreateAsync(spool, ZipArchiveMode.Read, leaveOpen: true, entryNameEncoding: null, cancellationToken);
            if (archive.Entries is not [var entry] || entry.FullName.IndexOfAny(['/', '\\']) >= 0)
            {
                return (0, layout);
            }

            var extension = Path.GetExtension(entry.FullName).ToUpperInvariant();
            if (extension is not (".TXT" or ".CSV"))
            {
                return (0, layout);
            }

            var text = new PackageText(isCsv: extension == ".CSV");
            await using var content = await entry.OpenAsync(cancellationToken);
            var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
            try
            {
                int read;
                while (text.Problem is null && (read = await content.ReadAsync(buffer.AsMemory(0, BufferSize), cancellationToken)) > 0)
                {
                    unpacked += read;
                    if (unpacked > MaxUnpackedSize)
                    {
                        return (0, "the archive unpacks to more than 100 MB");
                    }

                    if (unpacked > UnpackedSizeWithAnyRatio && unpacked > MaxCompressionRatio * spool.Position)
                    {
                        return (0, $"the archive unpacks at a ratio over {MaxCompressionRatio}:1");
                    }

                    text.Add(buffer.AsSpan(0, read));
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }

            return text.Complete();
        }
        catch (InvalidDataException)
        {
            return (0, "the file is not a readable .zip");
        }
        finally
        {
            recorder.CountUnpacked(unpacked);
        }
    }

    /// <summary>
    /// Logs and answers a refusal. A 1008011 names the broken file rule after Tencent's short name: Tencent's own words
    /// for these refusals are unknown, and someone testing a script needs to know what to fix.
    /// </summary>
    private Answer Reject(string accessId, int retCode, string reason)
    {
        logger.UploadRejected(accessId, retCode, reason);
        return new Answer(StatusCodes.Status200OK, retCode, Detail: retCode == TencentRetCodes.UploadFileError ? reason : null);
    }

    /// <summary>Writes the answer, garbled as the fault asks.</summary>
    private static async Task WriteAsync(HttpContext context, Answer answer, GarbledAnswer? garbled)
    {
        var response = context.Response;
        var (status, contentType, body) = (answer.RetCode, garbled) switch
        {
            (_, GarbledAnswer.Html) => (StatusCodes.Status200OK, "text/html; charset=utf-8", HtmlInsteadOfJson),
            (null, _) => (answer.HttpStatus, "text/html; charset=utf-8", ErrorPage(answer.HttpStatus)),
            ({ } retCode, GarbledAnswer.NoUploadId) => (answer.HttpStatus, "application/json; charset=utf-8",
                JsonSerializer.SerializeToUtf8Bytes(new UploadResponseWithoutId(retCode, answer.ErrMsg(retCode)), SimulatorJsonContext.Default.UploadResponseWithoutId)),
            ({ } retCode, _) => (answer.HttpStatus, "application/json; charset=utf-8",
                JsonSerializer.SerializeToUtf8Bytes(
                    new UploadResponse(retCode, answer.ErrMsg(retCode), garbled == GarbledAnswer.ZeroUploadId ? 0 : answer.UploadId),
                    SimulatorJsonContext.Default.UploadResponse)),
        };
        response.StatusCode = status;
        response.ContentType = contentType;
        response.ContentLength = body.Length;
        if (garbled == GarbledAnswer.Truncated)
        {
            // Kestrel ends a response shorter than its Content-Length by closing the connection.
            await response.Body.WriteAsync(body.AsMemory(0, body.Length / 2), context.RequestAborted);
            return;
        }

        await response.Body.WriteAsync(body, context.RequestAborted);
    }

    /// <summary>What a gateway in front of Tencent answers: an HTML page, not JSON.</summary>
    private static byte[] ErrorPage(int status)
    {
        var title = $"{status} {ReasonPhrases.GetReasonPhrase(status)}".TrimEnd();
        return Encoding.UTF8.GetBytes($"<html><head><title>{title}</title></head><body><h1>{title}</h1></body></html>");
    }

    /// <summary>
    /// An answer to give: <paramref name="RetCode"/> null means an HTML error page instead of JSON; a
    /// <paramref name="Detail"/> follows the errMsg.
    /// </summary>
    private sealed record Answer(int HttpStatus, int? RetCode, long UploadId = 0, string? Detail = null)
    {
        public string ErrMsg(int retCode) => Detail is null ? TencentRetCodes.Message(retCode) : $"{TencentRetCodes.Message(retCode)}: {Detail}";
    }

    private sealed record UploadOutcome(int RetCode, string Reason, string FileName, long Size, string Sha256Hex, long RowCount)
    {
        public static UploadOutcome Failed(int retCode, string reason) => new(retCode, reason, string.Empty, 0, string.Empty, 0);
    }
}
