using System.IdentityModel.Tokens.Jwt;
using System.Net;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Server;
using Portal.Api;
using Portal.Audit;
using Portal.DevStack;
using Portal.Testing;
using Portal.Tests.TestHost;

namespace Portal.Tests.Api;

/// <summary>
/// <c>/api/v1</c> on the whole portal over loopback, with real access tokens from the development identity provider's
/// demo service accounts: each endpoint, each role, tokens that must be refused, the session cookie refused, sends
/// once per Idempotency-Key, and the service account as the actor in the audit trail.
/// </summary>
public sealed class UploadsApiTests(UploadsApiTests.Portal shared) : IClassFixture<UploadsApiTests.Portal>
{
    private const string SlowApp = "Slow app";

    /// <summary>One portal for the tests that need no settings of their own; a slow app that takes 20 KB a second.</summary>
    public sealed class Portal : IDisposable
    {
        public PortalFactory Factory { get; } = new(SimulatorAppSettings.WithFaultyApp(SlowApp, "1500000011", "slow-read=20000",
            ("Uploads:ProgressInterval", "00:00:00.2"), ("Uploads:QueuePollInterval", "00:00:00.2")));

        public void Dispose() => Factory.Dispose();
    }

    private PortalFactory Factory => shared.Factory;

    [Fact]
    public async Task A_pipeline_uploads_follows_reads_the_problems_and_sends_once_and_the_trail_names_it()
    {
        using var api = await ServiceAccount.ClientAsync(Factory, ServiceAccount.Pipeline);

        using var created = await UploadAsync(api, "nightly.txt", "alice\nbob\nx\nbob\n");
        var upload = await created.Content.ReadFromJsonAsync<UploadCreated>();
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal($"/api/v1/uploads/{upload!.Id}", created.Headers.Location!.OriginalString);
        Assert.Equal((4L, 1L, 1L, false, true), (upload.Report.RowCount, upload.Report.InvalidCount, upload.Report.DuplicateCount, upload.Report.OriginalSendable, upload.Sendable));

        var view = await api.GetFromJsonAsync<UploadView>(upload.Url);
        Assert.Equal(("validated", ServiceAccount.Pipeline, ServiceAccount.PipelineName), (view!.Status, view.Uploader.Id, view.Uploader.Name));
        var problems = await api.GetStringAsync(upload.Url + "/problems");
        Assert.Contains("x", problems, StringComparison.Ordinal);

        using var original = await SendAsync(api, upload.Id, "original", "key-original");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, original.StatusCode);
        Assert.Equal(ApiProblemTypes.PackageUnavailable.Type, (await ProblemAsync(original)).Type);

        using var sent = await SendAsync(api, upload.Id, "clean", "key-1");
        using var again = await SendAsync(api, upload.Id, "clean", "key-1");
        Assert.Equal((HttpStatusCode.Accepted, HttpStatusCode.Accepted), (sent.StatusCode, again.StatusCode));
        Assert.Equal(await sent.Content.ReadAsStringAsync(), await again.Content.ReadAsStringAsync());
        Assert.True(again.Headers.Contains("Idempotent-Replayed"));
        var settled = await Factory.SettledAsync(upload.Id);

        var after = await api.GetFromJsonAsync<UploadView>(upload.Url);
        var received = Assert.Single(Simulator.Received, package => package.Sha256Hex == after!.Report.CleanPackage!.Sha256);
        Assert.Equal(("sent", received.UploadId), (after!.Status, after.UploadId));
        using var replayedAfterSend = await SendAsync(api, upload.Id, "clean", "key-1");
        Assert.Equal(HttpStatusCode.Accepted, replayedAfterSend.StatusCode);
        using var otherKey = await SendAsync(api, upload.Id, "clean", "key-2");
        var refused = await ProblemAsync(otherKey);
        Assert.Equal((HttpStatusCode.Conflict, ApiProblemTypes.AlreadySent.Type), (otherKey.StatusCode, refused.Type));
        Assert.Equal(received.UploadId, refused.Extensions["uploadId"].GetInt64());
        Assert.Equal(1, Simulator.Received.Count(package => package.Sha256Hex == after.Report.CleanPackage!.Sha256));

        var events = await Factory.Services.GetRequiredService<AuditSearch>().EventsOfAsync(upload.Id);
        Assert.Equal(["confirmed", "problem-report-downloaded", "received", "validated"],
            events.Where(recorded => recorded.ActorId == ServiceAccount.Pipeline).Select(recorded => recorded.Kind).Distinct().Order());
        Assert.All(events.Where(recorded => recorded.ActorId == ServiceAccount.Pipeline),
            recorded => Assert.Equal((ServiceAccount.Pipeline, ServiceAccount.PipelineName), (recorded.ActorId, recorded.ActorName)));
        Assert.Equal(settled.State.TencentUploadId, received.UploadId);
    }

    [Fact]
    public async Task Two_sends_at_once_with_the_same_key_send_once()
    {
        using var api = await ServiceAccount.ClientAsync(Factory, ServiceAccount.Pipeline);
        using var created = await UploadAsync(api, "twice.txt", "carol\ndave\n");
        var upload = (await created.Content.ReadFromJsonAsync<UploadCreated>())!;

        var answers = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => SendAsync(api, upload.Id, "original", "same-key")));
        await Factory.SettledAsync(upload.Id);

        Assert.All(answers, answer => Assert.Equal(HttpStatusCode.Accepted, answer.StatusCode));
        Assert.Single(Simulator.Received, package => package.Sha256Hex == upload.Sha256);
        var confirmations = (await Factory.Services.GetRequiredService<AuditSearch>().EventsOfAsync(upload.Id)).Count(recorded => recorded.Kind == "confirmed");
        Assert.Equal(1, confirmations);
        foreach (var answer in answers)
        {
            answer.Dispose();
        }
    }

    [Fact]
    public async Task Deleting_the_send_stops_a_running_one_and_with_no_send_is_a_conflict()
    {
        using var api = await ServiceAccount.ClientAsync(Factory, ServiceAccount.Pipeline);
        using var created = await UploadAsync(api, "slow.txt", string.Concat(Enumerable.Range(0, 20_000).Select(i => $"user-{i:D6}\n")), SlowApp);
        var upload = (await created.Content.ReadFromJsonAsync<UploadCreated>())!;

        using var none = await api.DeleteAsync(upload.Url + "/send");
        Assert.Equal((HttpStatusCode.Conflict, ApiProblemTypes.NoSendToCancel.Type), (none.StatusCode, (await ProblemAsync(none)).Type));

        using var sent = await SendAsync(api, upload.Id, "original", "slow-key");
        Assert.Equal(HttpStatusCode.Accepted, sent.StatusCode);
        await UntilAsync(async () => (await api.GetFromJsonAsync<UploadView>(upload.Url))!.Send?.Progress?.BytesSent > 0);
        using var cancel = await api.DeleteAsync(upload.Url + "/send");
        var settled = await Factory.SettledAsync(upload.Id);

        Assert.Equal(HttpStatusCode.Accepted, cancel.StatusCode);
        Assert.Equal(global::Portal.Uploads.UploadStatus.Cancelled, settled.State.Status);
        Assert.DoesNotContain(Simulator.Received, package => package.Sha256Hex == upload.Sha256);
    }

    [Fact]
    public async Task Each_role_reaches_its_endpoints_and_is_refused_the_others()
    {
        using var pipeline = await ServiceAccount.ClientAsync(Factory, ServiceAccount.Pipeline);
        using var auditor = await ServiceAccount.ClientAsync(Factory, ServiceAccount.AuditReader);
        using var noRole = await ServiceAccount.ClientAsync(Factory, ServiceAccount.NoRole);
        using var created = await UploadAsync(pipeline, "roles.txt", "erin\n");
        var upload = (await created.Content.ReadFromJsonAsync<UploadCreated>())!;

        Assert.Equal(HttpStatusCode.OK, (await auditor.GetAsync(upload.Url)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await auditor.GetAsync("/api/v1/uploads")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await auditor.GetAsync("/api/v1/events")).StatusCode);
        await AssertForbiddenAsync(await UploadAsync(auditor, "auditor.txt", "frank\n"));
        await AssertForbiddenAsync(await SendAsync(auditor, upload.Id, "original", "auditor-key"));
        await AssertForbiddenAsync(await pipeline.GetAsync("/api/v1/uploads"));
        await AssertForbiddenAsync(await pipeline.GetAsync("/api/v1/events"));
        await AssertForbiddenAsync(await noRole.GetAsync(upload.Url));
        await AssertForbiddenAsync(await UploadAsync(noRole, "none.txt", "gina\n"));
        await AssertForbiddenAsync(await noRole.GetAsync("/api/v1/uploads"));
    }

    [Fact]
    public async Task The_auditors_list_pages_by_cursor_and_the_events_name_the_service_account()
    {
        using var pipeline = await ServiceAccount.ClientAsync(Factory, ServiceAccount.Pipeline);
        using var auditor = await ServiceAccount.ClientAsync(Factory, ServiceAccount.AuditReader);
        var prefix = $"page-{Guid.NewGuid():N}"[..13];
        for (var i = 0; i < 3; i++)
        {
            (await UploadAsync(pipeline, $"{prefix}-{i}.txt", $"henry{i}\n")).Dispose();
        }

        var first = await auditor.GetFromJsonAsync<ApiPage<UploadView>>($"/api/v1/uploads?fileName={prefix}&limit=2");
        var second = await auditor.GetFromJsonAsync<ApiPage<UploadView>>(first!.Next!);
        using var badCursor = await auditor.GetAsync("/api/v1/uploads?after=not-a-cursor");

        Assert.Equal([$"{prefix}-2.txt", $"{prefix}-1.txt"], first.Items.Select(item => item.FileName));
        Assert.Equal([$"{prefix}-0.txt"], second!.Items.Select(item => item.FileName));
        Assert.Null(second.Next);
        Assert.Equal((HttpStatusCode.BadRequest, ApiProblemTypes.BadRequest.Type), (badCursor.StatusCode, (await ProblemAsync(badCursor)).Type));

        var events = await auditor.GetFromJsonAsync<ApiPage<EventView>>($"/api/v1/events?upload={first.Items[0].Id}");
        var received = Assert.Single(events!.Items, recorded => recorded.Kind == "received");
        Assert.Equal(new ActorView(ServiceAccount.Pipeline, ServiceAccount.PipelineName), received.Actor);
        Assert.Equal(first.Items[0].Id, received.Upload);
        Assert.True(received.Data.TryGetProperty("fingerprint", out _));
    }

    [Fact]
    public async Task No_token_a_foreign_token_and_the_session_cookie_alone_are_refused()
    {
        using var pipeline = await ServiceAccount.ClientAsync(Factory, ServiceAccount.Pipeline);
        using var created = await UploadAsync(pipeline, "private.txt", "ivan\n");
        var upload = (await created.Content.ReadFromJsonAsync<UploadCreated>())!;

        using var anonymous = Factory.CreateBrowserClient(followRedirects: false);
        await AssertUnauthorizedAsync(await anonymous.GetAsync(upload.Url), "no bearer token");

        using var foreign = ServiceAccount.WithToken(Factory, ForeignToken(Factory));
        await AssertUnauthorizedAsync(await foreign.GetAsync(upload.Url), "not signed by the identity provider");

        // Olivia is an uploader and an auditor in the browser: her session cookie is worth nothing here.
        var cookies = new CookieContainer();
        using (var signingIn = Factory.CreateBrowserClient(cookies: cookies))
        {
            await DevSignIn.SignInAsync(signingIn, "olivia");
        }

        using var browser = Factory.CreateBrowserClient(followRedirects: false, cookies: cookies);

        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/my-uploads")).StatusCode);
        await AssertUnauthorizedAsync(await browser.GetAsync("/api/v1/uploads"), "no bearer token");
        await AssertUnauthorizedAsync(await UploadAsync(browser, "cookie.txt", "judy\n"), "no bearer token");
    }

    [Fact]
    public async Task An_expired_token_is_refused_as_expired()
    {
        using var portal = new PortalFactory(new Dictionary<string, string?>(), configureWebHost: host => host.ConfigureServices(services =>
        {
            services.PostConfigure<OpenIddictServerOptions>(options => options.AccessTokenLifetime = TimeSpan.FromSeconds(5));
            services.PostConfigure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, options => options.TokenValidationParameters.ClockSkew = TimeSpan.Zero);
        }));
        using (var warmUp = await ServiceAccount.ClientAsync(portal, ServiceAccount.AuditReader))
        {
            // The first token makes the portal fetch the provider's keys, which may take most of a short lifetime.
            (await warmUp.GetAsync("/api/v1/events")).Dispose();
        }

        using var api = await ServiceAccount.ClientAsync(portal, ServiceAccount.AuditReader);
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/api/v1/events")).StatusCode);

        await Task.Delay(TimeSpan.FromSeconds(6));

        await AssertUnauthorizedAsync(await api.GetAsync("/api/v1/events"), "expired");
    }

    [Fact]
    public async Task Bad_requests_are_problem_details_with_their_documented_type()
    {
        using var api = await ServiceAccount.ClientAsync(Factory, ServiceAccount.Pipeline);
        using var created = await UploadAsync(api, "bad.txt", "kate\n");
        var upload = (await created.Content.ReadFromJsonAsync<UploadCreated>())!;

        using var noName = await api.PostAsync("/api/v1/uploads?app=" + Uri.EscapeDataString(PackageUpload.DemoApp), new StringContent("x\n"));
        using var wrongApp = await UploadAsync(api, "a.txt", "x\n", "No such app");
        using var noKey = await api.PostAsJsonAsync(upload.Url + "/send", new SendBody("clean"));
        using var badBody = await SendAsync(api, upload.Id, "neither", "key-bad");
        using var missing = await api.GetAsync($"/api/v1/uploads/{Guid.NewGuid()}");

        Assert.Equal(ApiProblemTypes.FileName.Type, (await ProblemAsync(noName)).Type);
        Assert.Equal(ApiProblemTypes.AppNotAllowed.Type, (await ProblemAsync(wrongApp)).Type);
        Assert.Equal(ApiProblemTypes.IdempotencyKeyMissing.Type, (await ProblemAsync(noKey)).Type);
        Assert.Equal(ApiProblemTypes.BadRequest.Type, (await ProblemAsync(badBody)).Type);
        Assert.Equal((HttpStatusCode.NotFound, ApiProblemTypes.NotFound.Type), (missing.StatusCode, (await ProblemAsync(missing)).Type));
        using var other = await UploadAsync(api, "other.txt", "laura\nmike\n");
        var otherUpload = (await other.Content.ReadFromJsonAsync<UploadCreated>())!;
        using var first = await SendAsync(api, otherUpload.Id, "original", "key-of-other");
        using var reused = await SendAsync(api, upload.Id, "original", "key-of-other");
        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal((HttpStatusCode.UnprocessableContent, ApiProblemTypes.IdempotencyKeyReused.Type), (reused.StatusCode, (await ProblemAsync(reused)).Type));
        var described = await api.GetFromJsonAsync<ApiProblemType>(ApiProblemTypes.AlreadySent.Type);
        Assert.Equal(ApiProblemTypes.AlreadySent, described);
    }

    private TencentSimulatorRecorder Simulator => Factory.Services.GetRequiredService<TencentSimulatorRecorder>();

    private static Task<HttpResponseMessage> UploadAsync(HttpClient api, string fileName, string content, string app = PackageUpload.DemoApp) =>
        api.PostAsync($"/api/v1/uploads?app={Uri.EscapeDataString(app)}&fileName={Uri.EscapeDataString(fileName)}", new StringContent(content, Encoding.UTF8, "text/plain"));

    private static Task<HttpResponseMessage> SendAsync(HttpClient api, Guid id, string package, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/uploads/{id}/send") { Content = JsonContent.Create(new SendBody(package)) };
        request.Headers.Add(UploadsApi.IdempotencyKeyHeader, key);
        return api.SendAsync(request);
    }

    private sealed record Problem(string Type, string Title, int Status, string Detail)
    {
        [System.Text.Json.Serialization.JsonExtensionData]
        public Dictionary<string, JsonElement> Extensions { get; init; } = [];
    }

    private static async Task<Problem> ProblemAsync(HttpResponseMessage answer)
    {
        Assert.Equal("application/problem+json", answer.Content.Headers.ContentType?.MediaType);
        return (await answer.Content.ReadFromJsonAsync<Problem>())!;
    }

    private static async Task AssertForbiddenAsync(HttpResponseMessage answer)
    {
        using (answer)
        {
            Assert.Equal((HttpStatusCode.Forbidden, ApiProblemTypes.Forbidden.Type), (answer.StatusCode, (await ProblemAsync(answer)).Type));
        }
    }

    private static async Task AssertUnauthorizedAsync(HttpResponseMessage answer, string why)
    {
        using (answer)
        {
            var problem = await ProblemAsync(answer);
            Assert.Equal((HttpStatusCode.Unauthorized, ApiProblemTypes.Unauthorized.Type), (answer.StatusCode, problem.Type));
            Assert.Contains(why, problem.Detail, StringComparison.Ordinal);
        }
    }

    /// <summary>A well-formed token for the right issuer and audience, signed by a key the identity provider never had.</summary>
    private static string ForeignToken(PortalFactory portal)
    {
        using var rsa = RSA.Create(2048);
        var handler = new JwtSecurityTokenHandler();
        return handler.WriteToken(handler.CreateJwtSecurityToken(
            issuer: portal.Origin.ToString(),
            audience: "portal-api",
            subject: new ClaimsIdentity([new Claim("sub", ServiceAccount.Pipeline), new Claim("roles", "marketing")]),
            notBefore: DateTime.UtcNow.AddMinutes(-1),
            expires: DateTime.UtcNow.AddMinutes(10),
            issuedAt: DateTime.UtcNow.AddMinutes(-1),
            signingCredentials: new SigningCredentials(new RsaSecurityKey(rsa.ExportParameters(true)) { KeyId = "foreign" }, SecurityAlgorithms.RsaSha256)));
    }

    private static async Task UntilAsync(Func<Task<bool>> condition)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (!await condition())
        {
            await Task.Delay(100, deadline.Token);
        }
    }
}
