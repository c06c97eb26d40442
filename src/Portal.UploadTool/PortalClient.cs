using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Portal.Api;

namespace Portal.UploadTool;

/// <summary>A failure that ends the tool with <paramref name="exitCode"/>, <paramref name="message"/> on stderr.</summary>
public sealed class ToolFailure(int exitCode, string message) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}

/// <summary>
/// Where the portal is and who the tool is there, from environment variables: <c>PORTAL_URL</c>, <c>PORTAL_CLIENT_ID</c>,
/// <c>PORTAL_CLIENT_SECRET</c>, <c>PORTAL_AUTHORITY</c> (the identity provider; default <c>PORTAL_URL</c>, as with the
/// development identity provider) and <c>PORTAL_SCOPE</c> (when the provider wants one, e.g. <c>api://portal/.default</c>).
/// The secret is sent to the token endpoint only, and never printed.
/// </summary>
public sealed record PortalSettings(Uri Portal, Uri Authority, string ClientId, string ClientSecret, string? Scope)
{
    public static PortalSettings From(Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var missing = new[] { "PORTAL_URL", "PORTAL_CLIENT_ID", "PORTAL_CLIENT_SECRET" }.Where(name => string.IsNullOrWhiteSpace(environment(name))).ToList();
        if (missing.Count > 0)
        {
            throw new ToolFailure(ExitCodes.SignInFailed, $"Set {string.Join(", ", missing)}: the portal's address and the service account's client id and secret.");
        }

        var portal = AbsoluteUrl(environment("PORTAL_URL")!, "PORTAL_URL");
        var authority = environment("PORTAL_AUTHORITY") is { Length: > 0 } configured ? AbsoluteUrl(configured, "PORTAL_AUTHORITY") : portal;
        return new PortalSettings(portal, authority, environment("PORTAL_CLIENT_ID")!.Trim(), environment("PORTAL_CLIENT_SECRET")!,
            environment("PORTAL_SCOPE") is { Length: > 0 } scope ? scope : null);
    }

    private static Uri AbsoluteUrl(string value, string name) =>
        Uri.TryCreate(value.Trim().TrimEnd('/') + "/", UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? uri
            : throw new ToolFailure(ExitCodes.Usage, $"{name} must be an absolute http(s) URL, e.g. http://localhost:5080.");
}

/// <summary>The portal's API as the tool calls it: a bearer token from client credentials, problem details read into exit codes.</summary>
public sealed class PortalClient(HttpClient http, PortalSettings settings) : IDisposable
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public void Dispose() => http.Dispose();

    public async Task SignInAsync(CancellationToken cancellationToken)
    {
        var discovery = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, new Uri(settings.Authority, ".well-known/openid-configuration")), "the identity provider", cancellationToken);
        var tokenEndpoint = (await ReadAsync<JsonElement>(discovery, cancellationToken)).GetProperty("token_endpoint").GetString()!;
        var form = new Dictionary<string, string> { ["grant_type"] = "client_credentials", ["client_id"] = settings.ClientId, ["client_secret"] = settings.ClientSecret };
        if (settings.Scope is { } scope)
        {
            form["scope"] = scope;
        }

        using var answer = await http.SendAsync(new HttpRequestMessage(HttpMethod.Post, tokenEndpoint) { Content = new FormUrlEncodedContent(form) }, cancellationToken);
        var body = await answer.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
        if (!answer.IsSuccessStatusCode)
        {
            var error = body.TryGetProperty("error_description", out var description) ? description.GetString() : body.TryGetProperty("error", out var code) ? code.GetString() : null;
            throw new ToolFailure(answer.StatusCode >= HttpStatusCode.InternalServerError ? ExitCodes.Unreachable : ExitCodes.SignInFailed,
                $"The identity provider refused client '{settings.ClientId}' ({(int)answer.StatusCode}): {error}");
        }

        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", body.GetProperty("access_token").GetString());
    }

    public async Task<UploadCreated> UploadAsync(string path, string app, string kind, bool header, IProgress<long> progress, CancellationToken cancellationToken)
    {
        var query = $"api/v1/uploads?app={Uri.EscapeDataString(app)}&fileName={Uri.EscapeDataString(Path.GetFileName(path))}&kind={kind}&header={(header ? "true" : "false")}";
        using var answer = await SendAsync(() => new HttpRequestMessage(HttpMethod.Post, new Uri(settings.Portal, query))
        {
            Content = new ProgressContent(path, progress),
        }, "the portal", cancellationToken);
        return await ReadAsync<UploadCreated>(answer, cancellationToken);
    }

    /// <summary>Asks for the send once under a new key, asking again with the same key when the answer was lost: never a second send.</summary>
    public async Task<SendAccepted> SendAsync(Guid id, string package, CancellationToken cancellationToken)
    {
        var key = Guid.NewGuid().ToString();
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                using var answer = await SendAsync(() =>
                {
                    var request = new HttpRequestMessage(HttpMethod.Post, new Uri(settings.Portal, $"api/v1/uploads/{id}/send")) { Content = JsonContent.Create(new SendBody(package)) };
                    request.Headers.Add("Idempotency-Key", key);
                    return request;
                }, "the portal", cancellationToken);
                return await ReadAsync<SendAccepted>(answer, cancellationToken);
            }
            catch (ToolFailure failure) when (failure.ExitCode == ExitCodes.Unreachable && attempt < 3)
            {
                await Task.Delay(TimeSpan.FromSeconds(attempt), cancellationToken);
            }
        }
    }

    public async Task<UploadView> FindAsync(Guid id, CancellationToken cancellationToken)
    {
        using var answer = await SendAsync(() => new HttpRequestMessage(HttpMethod.Get, new Uri(settings.Portal, $"api/v1/uploads/{id}")), "the portal", cancellationToken);
        return await ReadAsync<UploadView>(answer, cancellationToken);
    }

    private async Task<HttpResponseMessage> SendAsync(Func<HttpRequestMessage> request, string whom, CancellationToken cancellationToken)
    {
        HttpResponseMessage answer;
        try
        {
            using var message = request();
            answer = await http.SendAsync(message, cancellationToken);
        }
        catch (HttpRequestException exception)
        {
            throw new ToolFailure(ExitCodes.Unreachable, $"Could not reach {whom}: {exception.Message}");
        }

        if (answer.IsSuccessStatusCode)
        {
            return answer;
        }

        using (answer)
        {
            var problem = answer.Content.Headers.ContentType?.MediaType == "application/problem+json"
                ? await answer.Content.ReadFromJsonAsync<JsonElement>(cancellationToken)
                : default;
            var type = problem.ValueKind == JsonValueKind.Object && problem.TryGetProperty("type", out var t) ? ApiProblemTypes.FromType(t.GetString()) : null;
            var detail = problem.ValueKind == JsonValueKind.Object && problem.TryGetProperty("detail", out var d) ? d.GetString() : answer.ReasonPhrase;
            throw new ToolFailure(ExitCodeOf(answer.StatusCode, type), $"{whom} answered {(int)answer.StatusCode}: {detail}");
        }
    }

    private static int ExitCodeOf(HttpStatusCode status, ApiProblemType? type) => type?.Code switch
    {
        "unauthorized" or "forbidden" or "app-not-allowed" => ExitCodes.SignInFailed,
        "file-name" or "too-large" or "kind-not-accepted" or "package-unavailable" or "nothing-to-send" => ExitCodes.FileHasProblems,
        _ when status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => ExitCodes.SignInFailed,
        _ when status >= HttpStatusCode.InternalServerError => ExitCodes.Unreachable,
        _ => ExitCodes.Usage,
    };

    private static async Task<T> ReadAsync<T>(HttpResponseMessage answer, CancellationToken cancellationToken) =>
        await answer.Content.ReadFromJsonAsync<T>(Json, cancellationToken) ?? throw new ToolFailure(ExitCodes.Unreachable, "The portal answered with an empty body.");

    /// <summary>The file as the request body, streamed, reporting the bytes sent so far.</summary>
    private sealed class ProgressContent : HttpContent
    {
        private readonly string _path;
        private readonly IProgress<long> _progress;

        public ProgressContent(string path, IProgress<long> progress)
        {
            (_path, _progress) = (path, progress);
            Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        }

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
        {
            await using var file = File.OpenRead(_path);
            var buffer = new byte[81920];
            long sent = 0;
            int read;
            while ((read = await file.ReadAsync(buffer, cancellationToken)) > 0)
            {
                await stream.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                _progress.Report(sent += read);
            }
        }

        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => SerializeToStreamAsync(stream, context, CancellationToken.None);

        protected override bool TryComputeLength(out long length)
        {
            length = new FileInfo(_path).Length;
            return true;
        }
    }
}
