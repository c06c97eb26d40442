using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Options;

namespace Portal.Tencent;

/// <summary>
/// Typed client for Tencent Push's <c>POST /v3/push/package/upload</c>: Basic auth and the staged file streamed as the
/// multipart part <c>file</c> (<see cref="PackageUploadContent"/>).
/// </summary>
/// <remarks>
/// The call has no idempotency key, so it is never repeated once a byte of the package has left: only a connection
/// that could not be opened is tried again (<see cref="TencentOptions.ConnectAttempts"/>, with a doubling delay). Every
/// failure says whether the package may have reached Tencent (<see cref="TencentUploadResult.Delivery"/>). After
/// "request too fast" the app's <see cref="TencentRateLimitGate"/> refuses to send until the back-off has passed. When
/// <paramref name="rateLimits"/> is not given, the client keeps a gate of its own (enough for a single instance).
/// Cancellation by the caller (the user left) is thrown as <see cref="OperationCanceledException"/>.
/// </remarks>
public sealed partial class TencentPushClient(
    HttpClient http,
    IOptions<TencentOptions> options,
    ILogger<TencentPushClient> logger,
    TencentRateLimitGate? rateLimits = null)
{
    public const string UploadPath = "v3/push/package/upload";

    /// <summary>Tencent's answer is a few dozen bytes; anything past this is not read.</summary>
    private const int MaxAnswerBytes = 64 * 1024;

    private readonly TencentRateLimitGate _gate = rateLimits ?? new TencentRateLimitGate(TimeProvider.System);

    /// <summary>The connection settings every Tencent upload needs: the connect timeout, and no redirects (a redirected POST would be sent twice).</summary>
    public static SocketsHttpHandler CreatePrimaryHandler(TencentOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new SocketsHttpHandler
        {
            ConnectTimeout = options.ConnectTimeout,
            AllowAutoRedirect = false,
            UseCookies = false,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        };
    }

    /// <summary>Sends the staged file; <paramref name="bytesSent"/> is told how many bytes of it the connection has taken, after each chunk.</summary>
    public async Task<TencentUploadResult> UploadPackageAsync(TencentAppOptions app, string stagedFilePath, string fileName, CancellationToken cancellationToken,
        Action<long>? bytesSent = null)
    {
        ArgumentNullException.ThrowIfNull(app);
        var settings = options.Value;
        if (_gate.BlockedUntil(app) is { } blockedUntil)
        {
            var refused = TencentAnswer.NotDelivered(TencentFailureKind.RateLimited, null,
                $"Tencent Push asked the portal to slow down for app '{app.Name}', so nothing was sent.");
            return Finish(app, WithBackoff(refused, blockedUntil));
        }

        var endpoint = new Uri(app.ResolveBaseUrl(), UploadPath);
        await using var file = new FileStream(stagedFilePath, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, useAsync: true);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(settings.UploadTimeout);
        for (var attempt = 1; ; attempt++)
        {
            var (result, couldNotConnect) = await SendOnceAsync(app, endpoint, file, fileName, attempt, deadline, bytesSent, cancellationToken);
            if (!couldNotConnect || attempt >= settings.ConnectAttempts)
            {
                return Finish(app, result);
            }

            var delay = settings.ConnectRetryDelay * (1 << (attempt - 1));
            LogConnectRetry(logger, app.Name, endpoint.Authority, attempt, delay, result.FailureMessage);
            try
            {
                await Task.Delay(delay, _gate.Clock, deadline.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return Finish(app, result);
            }
        }
    }

    /// <summary>One request. <c>CouldNotConnect</c>: no connection was opened, so nothing was sent and another attempt is safe.</summary>
    private async Task<(TencentUploadResult Result, bool CouldNotConnect)> SendOnceAsync(
        TencentAppOptions app, Uri endpoint, FileStream file, string fileName, int attempt, CancellationTokenSource deadline, Action<long>? bytesSent,
        CancellationToken cancellationToken)
    {
        var settings = options.Value;
        using var idle = new CancellationTokenSource(settings.IdleTimeout);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, idle.Token);
        using var content = new PackageUploadContent(file, fileName, sent =>
        {
            idle.CancelAfter(settings.IdleTimeout);
            bytesSent?.Invoke(sent);
        });
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{app.AccessId}:{app.SecretKey}")));

        LogSending(logger, app.Name, endpoint.Authority, content.FileLength, attempt);
        var answering = false;
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token);
            answering = true;
            var body = await ReadAnswerAsync(response.Content, linked.Token);
            var result = TencentAnswer.Interpret(app.Name, (int)response.StatusCode, body);
            return (result.FailureKind == TencentFailureKind.RateLimited
                ? WithBackoff(result, _gate.Close(app, settings.RateLimitBackoff, RetryAfter(response)))
                : result, false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception exception) when (exception is OperationCanceledException or HttpRequestException or IOException)
        {
            var waited = deadline.IsCancellationRequested ? $"the {Describe(settings.UploadTimeout)} an upload may take (Tencent:UploadTimeout)"
                : idle.IsCancellationRequested ? $"{Describe(settings.IdleTimeout)} (Tencent:IdleTimeout)"
                : null;
            return TransportFailure(exception, endpoint, content, answering, waited, attempt, mayRetry: !deadline.IsCancellationRequested);
        }
    }

    /// <summary>
    /// What went wrong on the way, and whether the package may have reached Tencent: not if its body never started (no
    /// connection was opened: another attempt is safe) or never finished; perhaps if the whole body left.
    /// <c>waited</c> describes the timeout that ran out, if one did.
    /// </summary>
    private (TencentUploadResult Result, bool CouldNotConnect) TransportFailure(
        Exception exception, Uri endpoint, PackageUploadContent content, bool answering, string? waited, int attempt, bool mayRetry)
    {
        var host = endpoint.Authority;
        if (!content.Started)
        {
            var reason = exception is OperationCanceledException
                ? $"no connection within {waited ?? Describe(options.Value.ConnectTimeout) + " (Tencent:ConnectTimeout)"}"
                : Reason(exception);
            var couldNotConnect = mayRetry
                && exception is OperationCanceledException or HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError };
            return (TencentAnswer.NotDelivered(TencentFailureKind.Unavailable, null,
                $"Could not connect to Tencent Push at {host} ({reason}; {Plural(attempt, "attempt")}). Nothing was sent: try again later; "
                + $"if this persists, ask an administrator to check the portal's network access to {endpoint.Host}."), couldNotConnect);
        }

        var progress = $"{content.FileBytesSent:N0} of {content.FileLength:N0} bytes";
        var failure = content.Completed
            ? TencentAnswer.Unsure(TencentFailureKind.Unavailable, null, waited is not null
                ? $"Tencent Push received the whole package but did not answer within {waited}."
                : answering
                    ? $"Tencent Push's answer was cut off ({Reason(exception)})."
                    : $"The connection to Tencent Push at {host} broke after the whole package was sent, before Tencent answered ({Reason(exception)}).")
            : TencentAnswer.NotDelivered(TencentFailureKind.Unavailable, null, waited is not null
                ? $"Tencent Push at {host} stopped taking the package: {progress} were sent within {waited}. The package did not arrive: send it again later."
                : $"The connection to Tencent Push at {host} broke after {progress} of the package were sent ({Reason(exception)}). The package did not arrive: send it again.");
        return (failure, false);
    }

    private static async Task<byte[]> ReadAnswerAsync(HttpContent content, CancellationToken cancellationToken)
    {
        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[MaxAnswerBytes];
        var length = 0;
        int read;
        while (length < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken)) > 0)
        {
            length += read;
        }

        return buffer[..length];
    }

    /// <summary>How long the answer's Retry-After header asks to wait, if it does.</summary>
    private TimeSpan? RetryAfter(HttpResponseMessage response) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } when delta > TimeSpan.Zero => delta,
        { Date: { } date } when date > _gate.Clock.GetUtcNow() => date - _gate.Clock.GetUtcNow(),
        _ => null,
    };

    private TencentUploadResult WithBackoff(TencentUploadResult result, DateTimeOffset until)
    {
        var wait = until - _gate.Clock.GetUtcNow();
        var about = wait >= TimeSpan.FromMinutes(1)
            ? Plural((int)Math.Ceiling(wait.TotalMinutes), "minute")
            : Plural((int)Math.Ceiling(wait.TotalSeconds), "second");
        return result with
        {
            RetryAfter = until,
            FailureMessage = $"{result.FailureMessage} The portal sends nothing more to this app before "
                + $"{until.UtcDateTime.ToString("HH:mm:ss", CultureInfo.InvariantCulture)} UTC: try again in about {about}.",
        };
    }

    private TencentUploadResult Finish(TencentAppOptions app, TencentUploadResult result)
    {
        if (result.Succeeded)
        {
            _gate.Open(app);
            LogAccepted(logger, app.Name, result.UploadId!.Value);
        }
        else
        {
            LogFailed(logger, app.Name, result.FailureKind, result.Delivery, result.HttpStatus, result.RetCode, result.FailureMessage);
        }

        return result;
    }

    private static string Reason(Exception exception) => (exception.InnerException ?? exception).Message.TrimEnd('.');

    private static string Describe(TimeSpan span) =>
        span.TotalMinutes >= 1 && span.Seconds == 0 && span.Milliseconds == 0 ? Plural((int)span.TotalMinutes, "minute")
        : span.TotalSeconds >= 1 && span.Milliseconds == 0 ? Plural((int)span.TotalSeconds, "second")
        : $"{span.TotalMilliseconds:0} ms";

    private static string Plural(int count, string unit) => count == 1 ? $"1 {unit}" : $"{count} {unit}s";

    [LoggerMessage(Level = LogLevel.Information, Message = "Sending package to Tencent app {App} at {Host} ({Bytes} bytes, attempt {Attempt})")]
    private static partial void LogSending(ILogger logger, string app, string host, long bytes, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Tencent app {App} at {Host}: connection attempt {Attempt} failed, trying again in {Delay}: {Reason}")]
    private static partial void LogConnectRetry(ILogger logger, string app, string host, int attempt, TimeSpan delay, string? reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Tencent app {App} accepted the package: uploadId {UploadId}")]
    private static partial void LogAccepted(ILogger logger, string app, long uploadId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Upload to Tencent app {App} failed ({Kind}, {Delivery}, HTTP {HttpStatus}, retCode {RetCode}): {Reason}")]
    private static partial void LogFailed(ILogger logger, string app, TencentFailureKind? kind, TencentDelivery delivery, int? httpStatus, int? retCode, string? reason);
}
