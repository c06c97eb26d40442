using System.Net;
using System.Net.Http.Json;
using System.Text;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Portal.Auth;
using Portal.DevStack;
using Portal.Uploads;
using Portal.Tests.TestHost;

namespace Portal.Tests;

public sealed class PortalTests(PortalFixture fixture) : IClassFixture<PortalFixture>
{
    private readonly PortalFactory _factory = fixture.Factory;

    [Theory]
    [InlineData("/")]
    [InlineData("/upload")]
    [InlineData("/audit")]
    public async Task Anonymous_page_requests_are_sent_to_sign_in_with_pkce(string path)
    {
        using var client = _factory.CreateBrowserClient(followRedirects: false);

        using var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!;
        Assert.Equal("/connect/authorize", location.AbsolutePath);
        Assert.Contains("code_challenge_method=S256", location.Query, StringComparison.Ordinal);
        Assert.Contains("response_type=code", location.Query, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Anonymous_api_requests_get_401_not_a_redirect()
    {
        using var client = _factory.CreateBrowserClient(followRedirects: false);

        using var response = await client.PostAsync($"/api/uploads?app={BrowserSession.DemoApp}&fileName=a.txt", new StringContent("alice\n"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    public async Task Health_endpoints_answer_anonymously(string path)
    {
        using var client = _factory.CreateBrowserClient(followRedirects: false);

        using var response = await client.GetAsync(path);

        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal("Healthy", path == "/health/live" ? body : System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("status").GetString());
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
    }

    [Fact]
    public async Task An_uploader_cannot_open_the_audit_log()
    {
        using var client = await BrowserSession.SignInAsync(_factory, "mia", "/upload");

        using var response = await client.GetAsync("/audit");

        Assert.Equal("/access-denied", response.RequestMessage!.RequestUri!.AbsolutePath);
        Assert.Contains("does not have the role this page needs", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_auditor_cannot_upload()
    {
        using var client = await BrowserSession.SignInAsync(_factory, "aaron", "/audit");
        var token = await BrowserSession.AntiforgeryTokenAsync(client, "/audit");

        using var response = await BrowserSession.PostPackageAsync(client, token, "accounts.txt", "alice\nbob\n");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task An_upload_without_the_page_token_is_refused()
    {
        using var client = await BrowserSession.SignInAsync(_factory, "mia", "/upload");

        using var response = await BrowserSession.PostPackageAsync(client, token: "forged", "accounts.txt", "alice\nbob\n");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("security token", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_accepted_upload_ends_as_one_audit_row_with_the_simulators_uploadId()
    {
        using var client = await BrowserSession.SignInAsync(_factory, "mia", "/upload");
        var token = await BrowserSession.AntiforgeryTokenAsync(client, "/upload");
        var content = $"campaign-{Guid.NewGuid():N}\nuser-000002\n张伟\n";

        using var response = await BrowserSession.PostPackageAsync(client, token, "accounts.txt", content);
        var receipt = (await response.Content.ReadFromJsonAsync<UploadReceipt>())!;
        Assert.True(receipt.Report.OriginalSendable);
        Assert.Equal(3, receipt.Report.ValidCount);

        var queued = await _factory.Services.GetRequiredService<UploadService>().SendAsync(receipt.UploadId, SendVariant.Original, Mia);
        var sent = await _factory.SettledAsync(receipt.UploadId);

        Assert.True(queued.Done, queued.Message);
        Assert.Equal(UploadStatus.Sent, sent.State.Status);
        var received = _factory.Services.GetRequiredService<TencentSimulatorRecorder>().Received.Single(p => p.Sha256Hex == receipt.Sha256);
        Assert.Equal(received.UploadId, sent.State.TencentUploadId);
        Assert.Equal("accounts.txt", received.FileName);
        Assert.Equal(Encoding.UTF8.GetByteCount(content), received.Size);

        var rows = await QueryAuditAsync(receipt.UploadId);
        var row = Assert.Single(rows);
        Assert.Equal(("dev-mia", "Mia Marketing", "mia@example.com"), (row.user_id, row.user_name, row.user_email));
        Assert.Equal((BrowserSession.DemoApp, "accounts.txt", receipt.Sha256, 3L), (row.tencent_app, row.file_name, row.sha256, row.row_count));
        Assert.Equal("sent", row.status);
        Assert.Equal(sent.State.TencentUploadId, row.tencent_upload_id);
    }

    [Fact]
    public async Task A_file_without_one_valid_account_is_rejected_recorded_and_cannot_be_sent()
    {
        using var client = await BrowserSession.SignInAsync(_factory, "mia", "/upload");
        var token = await BrowserSession.AntiforgeryTokenAsync(client, "/upload");

        using var response = await BrowserSession.PostPackageAsync(client, token, "accounts.csv", "a\nb,c\n");
        var receipt = (await response.Content.ReadFromJsonAsync<UploadReceipt>())!;

        Assert.False(receipt.Sendable);
        Assert.Equal([1L, 2L], receipt.Report.Problems.Where(p => p.LineNumber is not null).Select(p => p.LineNumber!.Value));
        var uploads = _factory.Services.GetRequiredService<UploadService>();
        foreach (var variant in new[] { SendVariant.Original, SendVariant.Clean })
        {
            Assert.False((await uploads.SendAsync(receipt.UploadId, variant, Mia)).Done);
        }

        Assert.Equal("rejected", Assert.Single(await QueryAuditAsync(receipt.UploadId)).status);
    }

    [Fact]
    public async Task A_file_with_problems_is_refused_as_is_but_its_clean_package_is_sent_and_both_hashes_are_recorded()
    {
        using var client = await BrowserSession.SignInAsync(_factory, "mia", "/upload");
        var token = await BrowserSession.AntiforgeryTokenAsync(client, "/upload");

        using var response = await BrowserSession.PostPackageAsync(client, token, "spring.csv", $"clean-{Guid.NewGuid():N}\nbob,extra\nx\ncarol\ncarol\n");
        var receipt = (await response.Content.ReadFromJsonAsync<UploadReceipt>())!;
        var clean = receipt.Report.CleanPackage!;
        var uploads = _factory.Services.GetRequiredService<UploadService>();

        var asIs = await uploads.SendAsync(receipt.UploadId, SendVariant.Original, Mia);
        var cleaned = await uploads.SendAsync(receipt.UploadId, SendVariant.Clean, Mia);
        var sent = await _factory.SettledAsync(receipt.UploadId);

        Assert.False(asIs.Done);
        Assert.True(cleaned.Done, cleaned.Message);
        Assert.Equal(UploadStatus.Sent, sent.State.Status);
        Assert.Equal(2, clean.AccountCount);
        var received = _factory.Services.GetRequiredService<TencentSimulatorRecorder>().Received.Single(p => p.UploadId == sent.State.TencentUploadId);
        Assert.Equal((clean.FileName, clean.Size, clean.Sha256), (received.FileName, received.Size, received.Sha256Hex));
        await using var connection = new SqliteConnection($"Data Source={_factory.DatabasePath};Mode=ReadOnly");
        var recorded = await connection.QuerySingleAsync<(string Sha256, string CleanSha256, string SentVariant, string SentSha256)>(
            "SELECT u.sha256, u.clean_sha256, s.sent_variant, s.sent_sha256 FROM uploads u JOIN upload_state s ON s.upload_id = u.id WHERE u.id = @Id",
            new { Id = receipt.UploadId.ToString("N") });
        Assert.Equal((receipt.Sha256, clean.Sha256, SendVariant.Clean, clean.Sha256), recorded);
    }

    [Fact]
    public async Task Another_users_upload_cannot_be_sent_by_guessing_its_id()
    {
        using var client = await BrowserSession.SignInAsync(_factory, "mia", "/upload");
        var token = await BrowserSession.AntiforgeryTokenAsync(client, "/upload");
        using var response = await BrowserSession.PostPackageAsync(client, token, "accounts.txt", "alice\nbob\n");
        var receipt = (await response.Content.ReadFromJsonAsync<UploadReceipt>())!;

        var outcome = await _factory.Services.GetRequiredService<UploadService>()
            .SendAsync(receipt.UploadId, SendVariant.Original, new PortalUser("dev-olivia", "Olivia Owner", null, "issuer", IsUploader: true));

        Assert.False(outcome.Done);
        Assert.Equal("There is no such upload.", outcome.Message);
        Assert.Equal("validated", Assert.Single(await QueryAuditAsync(receipt.UploadId)).status);
    }

    private static readonly PortalUser Mia = new("dev-mia", "Mia Marketing", "mia@example.com", "issuer", IsUploader: true);

    private async Task<List<AuditRow>> QueryAuditAsync(Guid uploadId)
    {
        await using var connection = new SqliteConnection($"Data Source={_factory.DatabasePath};Mode=ReadOnly");
        return (await connection.QueryAsync<AuditRow>("""
            SELECT u.user_id, u.user_name, u.user_email, u.tencent_app, u.file_name, u.sha256, u.row_count,
                   s.status, s.tencent_upload_id
            FROM uploads u JOIN upload_state s ON s.upload_id = u.id
            WHERE u.id = @Id
            """, new { Id = uploadId.ToString("N") })).ToList();
    }

    // Column names as in the schema, so the query above reads like the audit table.
#pragma warning disable IDE1006, CA1707
    private sealed record AuditRow(string user_id, string user_name, string? user_email, string tencent_app, string file_name,
        string sha256, long row_count, string status, long? tencent_upload_id);
#pragma warning restore IDE1006, CA1707
}
