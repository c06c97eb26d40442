using System.Net;
using System.Text;
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

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("/access-denied", response.RequestMessage!.RequestUri!.AbsolutePath);
        Assert.Contains("does not have the role this page needs", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/api/audit/export?format=csv")]
    [InlineData("/api/audit/export?format=json")]
    public async Task An_uploader_cannot_export_the_audit_log(string path)
    {
        using var client = await BrowserSession.SignInAsync(_factory, "mia", "/upload");

        using var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Empty(await EventsAsync("SELECT data FROM audit_events WHERE kind = 'audit-exported' AND actor_id = 'dev-mia'"));
    }

    [Fact]
    public async Task An_uploader_cannot_reach_another_users_upload_by_guessing_its_id()
    {
        var others = await UploadAsync("olivia", "others.csv", "alice\nbob,extra\n");
        using var client = await BrowserSession.SignInAsync(_factory, "mia", "/upload");

        using var detail = await client.GetAsync($"/uploads/{others:N}");
        using var report = await client.GetAsync($"/api/uploads/{others:N}/problem-report");
        using var sentFile = await client.GetAsync($"/api/uploads/{others:N}/sent-file");

        Assert.Equal(HttpStatusCode.OK, detail.StatusCode);
        Assert.Contains("There is no such upload.", await detail.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain("others.csv", await detail.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, report.StatusCode);
        Assert.Equal(
            "There is no such file: the upload does not exist, is not yours, or its staged files were removed.",
            JsonDocument.Parse(await report.Content.ReadAsStringAsync()).RootElement.GetProperty("detail").GetString());
        // Only auditors download what was sent; to anyone else the file does not exist.
        Assert.Equal(HttpStatusCode.NotFound, sentFile.StatusCode);
        Assert.Empty(await EventsAsync($"SELECT data FROM audit_events WHERE upload_id = '{others:N}' AND kind IN ('problem-report-downloaded', 'sent-file-downloaded')"));
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
        var upload = await UploadAsync("mia", fileName, "alice\nbob\n");
        using var client = await BrowserSession.SignInAsync(_factory, "aaron", "/audit");
        var filter = $"fileName={Uri.EscapeDataString(fileName)}";

        var csv = await client.GetStringAsync($"/api/audit/export?format=csv&{filter}");
        var json = await client.GetStringAsync($"/api/audit/export?format=json&{filter}");

        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.Equal(
            "id,received_at,user_id,user_name,user_email,user_issuer,client_ip,user_agent,tencent_app,tencent_region,package_kind,file_name,file_size,"
            + "sha256,row_count,valid_count,invalid_count,duplicate_count,original_sendable,clean_file_name,clean_size,clean_sha256,clean_account_count,"
            + "validation_summary,validation_ms,header_row,blank_row_count,status,status_at,last_seq,attempts,sent_variant,sent_sha256,sent_size,"
            + "sent_accounts,tencent_upload_id,ret_code,http_status,message,send_ms,may_have_arrived,staged_purged,"
            + "recheck_options,recheck_original_sendable,recheck_valid_count,recheck_duplicate_count,recheck_clean_file_name,recheck_clean_size,"
            + "recheck_clean_sha256,recheck_clean_account_count,recheck_invalid_count,recheck_blank_row_count,recheck_header_row",
            lines[0]);
        // The fields up to the file name hold no comma; the leading "=" of the name is defused for spreadsheets.
        Assert.Matches(
            $"^{upload:N},[^,]+,dev-mia,Mia Marketing,mia@example.com,[^,]+,127.0.0.1,,{System.Text.RegularExpressions.Regex.Escape(BrowserSession.DemoApp)},Simulator,Account,'{System.Text.RegularExpressions.Regex.Escape(fileName)},",
            lines[1]);
        Assert.Contains(",validated,", lines[1], StringComparison.Ordinal);
        var rows = JsonDocument.Parse(json).RootElement;
        Assert.Equal(fileName, Assert.Single(rows.EnumerateArray()).GetProperty("file_name").GetString());

        var exports = await EventsAsync($"SELECT data FROM audit_events WHERE kind = 'audit-exported' AND actor_id = 'dev-aaron' AND data LIKE '%{fileName}%' ORDER BY seq");
        Assert.Equal(
            [$$"""{"format":"csv","filter":"fileName={{fileName}}"}""", $$"""{"format":"json","filter":"fileName={{fileName}}"}"""],
            exports);
    }

    [Fact]
    public async Task An_auditor_exports_the_filtered_activity_as_csv_with_sentences_and_the_export_is_audited()
    {
        var fileName = $"activity-{Guid.NewGuid():N}.txt";
        var upload = await UploadAsync("mia", fileName, "alice\nbob\n");
        using var client = await BrowserSession.SignInAsync(_factory, "aaron", "/audit");

        using var response = await client.GetAsync($"/api/audit/activity/export?format=csv&kind=received&user=MIA%20mark");
        var lines = (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal("text/csv; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        Assert.Equal("seq,occurred_at,kind,actor_id,actor_name,upload_id,file_name,tencent_app,what_happened,data", lines[0]);
        var row = Assert.Single(lines, line => line.Contains(fileName, StringComparison.Ordinal));
        Assert.Contains($",received,dev-mia,Mia Marketing,{upload:N},{fileName},{BrowserSession.DemoApp},Mia Marketing uploaded {fileName} for app {BrowserSession.DemoApp},", row, StringComparison.Ordinal);
        Assert.All(lines.Skip(1), line => Assert.Contains(",received,dev-mia,", line, StringComparison.Ordinal));
        Assert.Contains("""{"format":"csv","filter":"activity: user=MIA mark, kind=received"}""",
            await EventsAsync("SELECT data FROM audit_events WHERE kind = 'audit-exported' AND actor_id = 'dev-aaron' ORDER BY seq"));
        using var wrongFormat = await client.GetAsync("/api/audit/activity/export?format=json");
        Assert.Equal(HttpStatusCode.BadRequest, wrongFormat.StatusCode);
    }

    [Fact]
    public async Task The_uploader_downloads_the_problem_report_of_their_own_upload()
    {
        using var client = await BrowserSession.SignInAsync(_factory, "mia", "/upload");
        var upload = await UploadWithClientAsync(client, "bad.csv", "alice\nbob,extra\n");

        using var report = await client.GetAsync($"/api/uploads/{upload:N}/problem-report");

        // The validator always writes the report: line 2 has two columns. UTF-8 with a byte order mark, for spreadsheets.
        Assert.Equal(HttpStatusCode.OK, report.StatusCode);
        Assert.Equal("text/csv; charset=utf-8", report.Content.Headers.ContentType!.ToString());
        Assert.Equal(("attachment", "bad.problems.csv"), (report.Content.Headers.ContentDisposition!.DispositionType, report.Content.Headers.ContentDisposition.FileName));
        var body = await report.Content.ReadAsByteArrayAsync();
        Assert.Equal(
            [.. Encoding.UTF8.GetPreamble(), .. "line,value,reason\n2,\"bob,extra\",has more than one column; Tencent accepts a CSV with exactly one column\n"u8],
            body);
        Assert.Equal(["dev-mia {}"], await EventsAsync($"SELECT actor_id || ' ' || data FROM audit_events WHERE upload_id = '{upload:N}' AND kind = 'problem-report-downloaded'"));
    }

    [Fact]
    public async Task Signing_in_is_recorded_in_the_trail()
    {
        const string oliviasSignIns = "SELECT data FROM audit_events WHERE kind = 'signed-in' AND actor_id = 'dev-olivia' ORDER BY seq";
        _ = _factory.Services;
        var before = (await EventsAsync(oliviasSignIns)).Count;

        using var client = await BrowserSession.SignInAsync(_factory, "olivia", "/");

        // Other tests of this class sign Olivia in too (never at the same time): one more, and every one reads the same.
        var signIns = await EventsAsync(oliviasSignIns);
        Assert.Equal(before + 1, signIns.Count);
        foreach (var data in signIns)
        {
            var details = JsonDocument.Parse(data).RootElement;
            Assert.Equal(["roles", "clientIp"], details.EnumerateObject().Select(property => property.Name));
            Assert.Equal(["Auditor", "Uploader"], details.GetProperty("roles").EnumerateArray().Select(role => role.GetString()).Order(StringComparer.Ordinal));
            Assert.Equal("127.0.0.1", details.GetProperty("clientIp").GetString());
        }
    }

    /// <summary>The first column of each row, read from the portal's database behind its back.</summary>
    private async Task<List<string>> EventsAsync(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={_factory.DatabasePath};Mode=ReadOnly");
        return (await connection.QueryAsync<string>(sql)).ToList();
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
