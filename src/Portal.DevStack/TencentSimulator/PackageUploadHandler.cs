using System.Buffers;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace Portal.DevStack.TencentSimulator;

/// <summary>
/// <c>POST {PathPrefix}/v3/push/package/upload</c>: Basic auth, a multipart <c>file</c> part streamed (never buffered in
/// memory) through SHA-256, a byte counter and a line counter. Always HTTP 200 with <c>{retCode, errMsg, uploadId}</c>.
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

    public async Task<IResult> HandleAsync(HttpContext context)
    {
        var cancellationToken = context.RequestAborted;
        if (!TryAuthenticate(context.Request.Headers.Authorization, out var accessId))
        {
            return Reject(accessId, TencentRetCodes.AuthFailure, "missing, malformed or wrong Basic credentials");
        }

        if (!MediaTypeHeaderValue.TryParse(context.Request.ContentType, out var mediaType)
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
            var reader = new MultipartReader(boundary.Value!, context.Request.Body) { BodyLengthLimit = null };
            MultipartSection? section;

            // Reading the next section drains the previous one, so the whole body is consumed before answering.
            while ((section = await reader.ReadNextSectionAsync(cancellationToken)) is not null)
            {
                if (outcome is null && IsFilePart(section, out var fileName))
                {
                    outcome = await ReceiveAsync(section.Body, fileName, cancellationToken);
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
        return Answer(TencentRetCodes.Success, package.UploadId);
    }

    /// <summary>
    /// Checks <c>Authorization: Basic base64(AccessID:SecretKey)</c>. On failure <paramref name="accessId"/> is the
    /// AccessID that was tried (for the log), or a placeholder.
    /// </summary>
    private bool TryAuthenticate(StringValues header, out string accessId)
    {
        const string scheme = "Basic ";
        accessId = Anonymous;
        if (header.Count != 1 || header[0] is not { } value || !value.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        string decoded;
        try
        {
            decoded = Encoding.UTF8.GetString(Convert.FromBase64String(value[scheme.Length..].Trim()));
        }
        catch (FormatException)
        {
            return false;
        }

        var colon = decoded.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            return false;
        }

        var tried = decoded[..colon];
        var secretKey = Encoding.UTF8.GetBytes(decoded[(colon + 1)..]);
        foreach (var app in settings.Client.Apps)
        {
            if (string.Equals(app.AccessId, tried, StringComparison.Ordinal)
                && CryptographicOperations.FixedTimeEquals(secretKey, Encoding.UTF8.GetBytes(app.SecretKey)))
            {
                accessId = tried;
                return true;
            }
        }

        // Unknown AccessID and wrong SecretKey look the same: 1008003.
        accessId = tried.Length <= 32 ? tried : tried[..32];
        return false;
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

    private static async Task<UploadOutcome> ReceiveAsync(Stream body, string fileName, CancellationToken cancellationToken)
    {
        if (fileName.Length is 0 or > TencentSimulatorSettings.MaxFileNameLength)
        {
            return UploadOutcome.Failed(TencentRetCodes.UploadFileError, $"the file name must have 1-{TencentSimulatorSettings.MaxFileNameLength} characters");
        }

        var extension = Path.GetExtension(fileName).ToUpperInvariant();
        if (extension is not (".ZIP" or ".TXT" or ".CSV"))
        {
            return UploadOutcome.Failed(TencentRetCodes.UploadFileError, "the file must be a .zip, .txt or .csv");
        }

        var isZip = extension == ".ZIP";
        using var sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var lines = new LineCounter();
        long size = 0;
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);

        // A .zip is spooled to a temporary file (deleted on close) so that its entry can be read; text is never stored.
        await using var spool = isZip ? CreateSpoolFile() : null;
        try
        {
            int read;
            while ((read = await body.ReadAsync(buffer.AsMemory(0, BufferSize), cancellationToken)) > 0)
            {
                var chunk = buffer.AsSpan(0, read);
                sha256.AppendData(chunk);
                lines.Add(chunk);
                size += read;
                if (spool is not null && size <= TencentSimulatorSettings.MaxFileSize)
                {
                    await spool.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
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

        var rowCount = lines.Rows;
        if (spool is not null)
        {
            var zipRows = await CountZipRowsAsync(spool, cancellationToken);
            if (zipRows is null)
            {
                return UploadOutcome.Failed(TencentRetCodes.UploadFileError, "the .zip must hold exactly one .txt or .csv and no folders");
            }

            rowCount = zipRows.Value;
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

    private static async Task<long?> CountZipRowsAsync(FileStream spool, CancellationToken cancellationToken)
    {
        spool.Position = 0;
        try
        {
            await using var archive = await ZipArchive.CreateAsync(spool, ZipArchiveMode.Read, leaveOpen: true, entryNameEncoding: null, cancellationToken);
            if (archive.Entries.Count != 1)
            {
                return null;
            }

            var entry = archive.Entries[0];
            var extension = Path.GetExtension(entry.FullName).ToUpperInvariant();
            if (entry.FullName.IndexOfAny(['/', '\\']) >= 0 || extension is not (".TXT" or ".CSV"))
            {
                return null;
            }

            await using var content = await entry.OpenAsync(cancellationToken);
            var lines = new LineCounter();
            var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
            try
            {
                int read;
                while ((read = await content.ReadAsync(buffer.AsMemory(0, BufferSize), cancellationToken)) > 0)
                {
                    lines.Add(buffer.AsSpan(0, read));
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }

            return lines.Rows;
        }
        catch (InvalidDataException)
        {
            return null;
        }
    }

    private IResult Reject(string accessId, int retCode, string reason)
    {
        logger.UploadRejected(accessId, retCode, reason);
        return Answer(retCode, uploadId: 0);
    }

    private static IResult Answer(int retCode, long uploadId) => Results.Json(
        new UploadResponse(retCode, TencentRetCodes.Message(retCode), uploadId),
        SimulatorJsonContext.Default.UploadResponse,
        statusCode: StatusCodes.Status200OK);

    private sealed record UploadOutcome(int RetCode, string Reason, string FileName, long Size, string Sha256Hex, long RowCount)
    {
        public static UploadOutcome Failed(int retCode, string reason) => new(retCode, reason, string.Empty, 0, string.Empty, 0);
    }

    /// <summary>Counts rows: each line feed ends one, and a last line without a line feed counts too.</summary>
    private struct LineCounter
    {
        private long lineFeeds;
        private bool endsWithLineFeed;
        private bool any;

        public void Add(ReadOnlySpan<byte> chunk)
        {
            if (chunk.IsEmpty)
            {
                return;
            }

            lineFeeds += chunk.Count((byte)'\n');
            endsWithLineFeed = chunk[^1] == (byte)'\n';
            any = true;
        }

        public readonly long Rows => !any ? 0 : lineFeeds + (endsWithLineFeed ? 0 : 1);
    }
}
