using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Portal.Auth;
using Portal.Testing;
using Portal.Tests.TestHost;
using Portal.Uploads;

namespace Portal.Tests.Auth;

/// <summary>
/// Every route of the portal against every kind of visitor, through the real sign-in: the whole authorisation matrix in
/// one table. The upload in it belongs to Mia and has been sent, so every download exists for those allowed to see it.
/// </summary>
public sealed class AuthorizationMatrixTests(AuthorizationMatrixTests.SentUpload upload) : IClassFixture<AuthorizationMatrixTests.SentUpload>
{
    /// <summary>What a visitor gets.</summary>
    public enum Outcome
    {
        /// <summary>The page or file itself (200 at the asked path).</summary>
        Shown,

        /// <summary>A page: off to the identity provider's login; an API: 401.</summary>
        SignIn,

        /// <summary>A page: the access-denied page; an API: 403.</summary>
        Denied,

        /// <summary>The upload is answered like a missing one (the page says so; an API answers 404).</summary>
        NoSuchUpload,
    }

    private const string Anonymous = "anonymous";

    private static readonly string[] Visitors = [Anonymous, "nora", "mia", "aaron", "olivia"];

    /// <summary>Route, then what each of <see cref="Visitors"/> gets: nobody, Nora (no role), Mia (uploader, owner), Aaron (auditor), Olivia (both, not the owner).</summary>
    private static readonly (string Route, Outcome[] Outcomes)[] Routes =
    [
        ("GET /", [Outcome.SignIn, Outcome.Shown, Outcome.Shown, Outcome.Shown, Outcome.Shown]),
        ("GET /upload", [Outcome.SignIn, Outcome.Denied, Outcome.Shown, Outcome.Denied, Outcome.Shown]),
        ("GET /my-uploads", [Outcome.SignIn, Outcome.Denied, Outcome.Shown, Outcome.Denied, Outcome.Shown]),
        ("GET /uploads/{upload}", [Outcome.SignIn, Outcome.NoSuchUpload, Outcome.Shown, Outcome.Shown, Outcome.Shown]),
        ("GET /audit", [Outcome.SignIn, Outcome.Denied, Outcome.Denied, Outcome.Shown, Outcome.Shown]),
        ("GET /audit/activity", [Outcome.SignIn, Outcome.Denied, Outcome.Denied, Outcome.Shown, Outcome.Shown]),
        ("GET /dashboard", [Outcome.SignIn, Outcome.Denied, Outcome.Denied, Outcome.Shown, Outcome.Shown]),
        ("GET /sessions", [Outcome.SignIn, Outcome.Denied, Outcome.Denied, Outcome.Shown, Outcome.Shown]),
        ("POST /api/uploads", [Outcome.SignIn, Outcome.Denied, Outcome.Shown, Outcome.Denied, Outcome.Shown]),
        ("GET /api/uploads/{upload}/problem-report", [Outcome.SignIn, Outcome.NoSuchUpload, Outcome.Shown, Outcome.Shown, Outcome.Shown]),
        ("GET /api/uploads/{upload}/sent-file", [Outcome.SignIn, Outcome.NoSuchUpload, Outcome.NoSuchUpload, Outcome.Shown, Outcome.Shown]),
        ("GET /api/audit/export?format=csv", [Outcome.SignIn, Outcome.Denied, Outcome.Denied, Outcome.Shown, Outcome.Shown]),
        ("GET /api/audit/activity/export?format=csv", [Outcome.SignIn, Outcome.Denied, Outcome.Denied, Outcome.Shown, Outcome.Shown]),
        ("GET /health/live", [Outcome.Shown, Outcome.Shown, Outcome.Shown, Outcome.Shown, Outcome.Shown]),
        ("GET /health/ready", [Outcome.Shown, Outcome.Shown, Outcome.Shown, Outcome.Shown, Outcome.Shown]),
    ];

    public static TheoryData<string, string, Outcome> Matrix()
    {
        var rows = new TheoryData<string, string, Outcome>();
        foreach (var (route, outcomes) in Routes)
        {
            for (var i = 0; i < Visitors.Length; i++)
            {
                rows.Add(route, Visitors[i], outcomes[i]);
            }
        }

        return rows;
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task Each_visitor_gets_what_the_matrix_says(string route, string visitor, Outcome expected)
    {
        var client = await upload.ClientAsync(visitor);
        var (method, path) = (route.Split(' ')[0], route.Split(' ')[1].Replace("{upload}", upload.Id.ToString("N"), StringComparison.Ordinal));

        using var response = method == "POST"
            ? await PostPackageAsync(client, visitor)
            : await client.GetAsync(path);

        Assert.Equal(expected, await OutcomeOfAsync(response, path));
    }

    private static async Task<HttpResponseMessage> PostPackageAsync(HttpClient client, string visitor)
    {
        // Anyone signed in has a token (the sign-out form on every page carries one); without it the post would fail for that reason alone.
        var token = visitor == Anonymous ? "none" : await DevSignIn.AntiforgeryTokenAsync(client, "/");
        return await client.SendAsync(PackageUpload.Request(token, "matrix.txt", new StringContent("alice\nbob\n")));
    }

    private static async Task<Outcome> OutcomeOfAsync(HttpResponseMessage response, string path)
    {
        var landed = response.RequestMessage!.RequestUri!.AbsolutePath;
        var body = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, landed) switch
        {
            (HttpStatusCode.Unauthorized, _) => Outcome.SignIn,
            (HttpStatusCode.Forbidden, _) => Outcome.Denied,
            (HttpStatusCode.NotFound, _) when path.StartsWith("/api/", StringComparison.Ordinal) => Outcome.NoSuchUpload,
            (HttpStatusCode.OK, var at) when at.StartsWith("/dev-idp/login", StringComparison.Ordinal) => Outcome.SignIn,
            (HttpStatusCode.OK, "/access-denied") => Outcome.Denied,
            (HttpStatusCode.OK, _) when body.Contains("There is no such upload.", StringComparison.Ordinal) => Outcome.NoSuchUpload,
            (HttpStatusCode.OK, var at) when at == path.Split('?')[0] => Outcome.Shown,
            var other => throw new Xunit.Sdk.XunitException($"{path} answered {(int)other.StatusCode} at {other.landed}, which is none of the outcomes."),
        };
    }

    /// <summary>One portal, one sent upload of Mia's, and one signed-in browser per visitor, shared by every row.</summary>
    public sealed class SentUpload : IAsyncLifetime
    {
        private readonly ConcurrentDictionary<string, Task<HttpClient>> _clients = new();

        public PortalFactory Factory { get; } = new();

        public Guid Id { get; private set; }

        public Task<HttpClient> ClientAsync(string visitor) => _clients.GetOrAdd(visitor, name => name == Anonymous
            ? Task.FromResult(Factory.CreateBrowserClient())
            : BrowserSession.SignInAsync(Factory, name));

        public async Task InitializeAsync()
        {
            var mia = await ClientAsync("mia");
            var token = await BrowserSession.AntiforgeryTokenAsync(mia, "/upload");
            using var response = await BrowserSession.PostPackageAsync(mia, token, "owned-by-mia.csv", "alice\nbob,extra\ncarol\n");
            Id = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("uploadId").GetGuid();
            var owner = new PortalUser("dev-mia", "Mia Marketing", "mia@example.com", "issuer", IsUploader: true);
            Assert.True((await Factory.Services.GetRequiredService<UploadService>().SendAsync(Id, SendVariant.Clean, owner)).Done);
            Assert.Equal(UploadStatus.Sent, (await Factory.SettledAsync(Id)).State.Status);
        }

        public async Task DisposeAsync()
        {
            foreach (var client in _clients.Values)
            {
                (await client).Dispose();
            }

            Factory.Dispose();
        }
    }
}
