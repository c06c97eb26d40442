using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace Portal.Tencent;

/// <summary>
/// Typed client for Tencent Push's <c>POST /v3/push/package/upload</c>. Streams the staged file as the multipart
/// part <c>file</c>, authenticates with Basic auth, and never retries: the call has no idempotency key, so a retry
/// after the body may have reached Tencent could create a second uploadId.
/// </summary>
public sealed partial class TencentPushClient(HttpClient http, IOptions<TencentOptions> options, ILogger<TencentPushClient> logger)
{
    public const string UploadPath = "v3/push/package/upload";

    public async Task<TencentUploadResult> UploadPackageAsync(TencentAppOptions app, string stagedFilePath, string fileName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(app);
        var endpoint = new Uri(app.ResolveBaseUrl(), UploadPath);

        await using var file = new FileStream(stagedFilePath, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, useAsync: true);
        using var fileContent = new StreamContent(file, 64 * 1024);
        fileContent.Headers.ContentDisposition = new ContentDispositionHeaderValue("form-data")
        {
            Name = "\"file\"",
            FileName = $"\"{Path.GetFileName(fileName)}\"",
        };
        using var form = new MultipartFormDataContent { fileContent };
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = form };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{app.AccessId}:{app.SecretKey}")));

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Value.UploadTimeout);
        LogSending(logger, app.Name, endpoint.Host, file.Length);
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var body = await response.Content.ReadAsStringAsync(timeout.Token);
            return Interpret((int)response.StatusCode, body);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return TencentUploadResult.Failure($"Tencent did not answer within {options.Value.UploadTimeout:g}. The package may or may not have arrived; check before retrying.");
        }
        catch (HttpRequestException exception)
        {
            LogTransportFailure(logger, app.Name, exception.HttpRequestError, exception.Message);
            return TencentUploadResult.Failure($"Could not reach Tencent Push at {endpoint.Host}: {exception.Message}");
        }
    }

    /// <summary>Turns Tencent's answer into a result; anything but HTTP 200 with retCode 0 and a positive uploadId is a failure.</summary>
    internal static TencentUploadResult Interpret(int httpStatus, string body)
    {
        if (httpStatus != 200)
        {
            return TencentUploadResult.Failure($"Tencent Push answered HTTP {httpStatus}: {Excerpt(body)}", httpStatus);
        }

        int retCode;
        string? errMsg;
        long? uploadId;
        try
        {
            using var json = JsonDocument.Parse(body);
            var root = json.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("retCode", out var retCodeElement) || !retCodeElement.TryGetInt32(out retCode))
            {
                return TencentUploadResult.Failure($"Tencent Push answered without a retCode: {Excerpt(body)}", httpStatus);
            }

            errMsg = root.TryGetProperty("errMsg", out var errMsgElement) && errMsgElement.ValueKind == JsonValueKind.String ? errMsgElement.GetString() : null;
            uploadId = root.TryGetProperty("uploadId", out var uploadIdElement) && uploadIdElement.TryGetInt64(out var id) ? id : null;
        }
        catch (JsonException)
        {
            return TencentUploadResult.Failure($"Tencent Push answered with something that is not JSON: {Excerpt(body)}", httpStatus);
        }

        if (retCode != 0)
        {
            return TencentUploadResult.Failure($"Tencent Push refused the package: retCode {retCode} ({errMsg}).", httpStatus, retCode, errMsg);
        }

        return uploadId > 0
            ? TencentUploadResult.Success(uploadId.Value, httpStatus)
            : TencentUploadResult.Failure($"Tencent Push reported success but gave no positive uploadId: {Excerpt(body)}", httpStatus, retCode, errMsg);
    }

    private static string Excerpt(string body) => body.Length <= 200 ? body : string.Concat(body.AsSpan(0, 200), "…");

    [LoggerMessage(Level = LogLevel.Information, Message = "Sending package to Tencent app {App} at {Host} ({Bytes} bytes)")]
    private static partial void LogSending(ILogger logger, string app, string host, long bytes);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Tencent app {App} could not be reached ({Error}): {Reason}")]
    private static partial void LogTransportFailure(ILogger logger, string app, HttpRequestError error, string reason);
}
