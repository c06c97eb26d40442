using System.Net;
using System.Net.Http.Json;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Portal.Auth;
using Portal.Uploads;
using Portal.Tests.TestHost;

namespace Portal.Tests.Uploads;

/// <summary>Tencent answering 503 during an upload: the trail says what happened and the staged file can be retried on purpose.</summary>
public sealed class TencentOutageTests : IDisposable
{
    private const string FlakyApp = "Flaky app";
    private static readonly PortalUser Mia = new("dev-mia", "Mia Marketing", "mia@example.com", "issuer", IsUploader: true);
    private static readonly PortalUser Aaron = new("dev-aaron", "Aaron Auditor", "aaron@example.com", "issuer", IsAuditor: true);

    private readonly PortalFactory _factory = new(new Dictionary<string, string?>
    {
        ["DevStack:TencentSimulator:Apps:1:AccessId"] = "1500000009",
        ["DevStack:TencentSimulator:Apps:1:Fault"] = "status=503",
        ["Tencent:Apps:1:Name"] = FlakyApp,
        ["Tencent:Apps:1:Region"] = "Simulator",
        ["Tencent:Apps:1:AccessId"] = "1500000009",
    });

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task An_outage_leaves_a_failed_record_and_a_staged_file_that_can_be_retried_and_every_attempt_is_recorded()
    {
        using var client = await BrowserSession.SignInAsync(_factory, "mia", "/upload");
        var token = await BrowserSession.AntiforgeryTokenAsync(client, "/upload");
        using var response = await BrowserSession.PostPackageAsync(client, token, "outage.txt", "alice\nbob\n", FlakyApp);
        var receipt = (await response.Content.ReadFromJsonAsync<UploadReceipt>())!;

        var uploads = _factory.Services.GetRequiredService<UploadService>();
        Assert.True((await uploads.SendAsync(receipt.UploadId, SendVariant.Original, Mia)).Done);
        var first = await _factory.SettledAsync(receipt.UploadId);
        Assert.True((await uploads.RetryAsync(receipt.UploadId, Aaron)).Done);
        var retried = await _factory.SettledAsync(receipt.UploadId);

        Assert.Equal(UploadStatus.Failed, first.State.Status);
        Assert.Contains("503", first.State.Message, StringComparison.Ordinal);
        // A 5xx after the whole body left: Tencent may have taken it all the same, which the message says once.
        Assert.True(first.State.MayHaveArrived);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(first.State.Message!, "may have reached Tencent"));
        Assert.Equal(UploadStatus.Failed, retried.State.Status);
        Assert.True(File.Exists(_factory.Services.GetRequiredService<StagingStore>().PathOf(receipt.UploadId)));

        await using var connection = new SqliteConnection($"Data Source={_factory.DatabasePath};Mode=ReadOnly");
        var events = (await connection.QueryAsync<(string Kind, string ActorId)>(
            "SELECT kind, actor_id FROM audit_events WHERE upload_id = @Id ORDER BY seq", new { Id = receipt.UploadId.ToString("N") })).ToList();
        Assert.Equal(
            [("received", "dev-mia"), ("validated", "dev-mia"), ("confirmed", "dev-mia"), ("sending", "system"), ("failed", "system"),
             ("retried", "dev-aaron"), ("sending", "system"), ("failed", "system")],
            events);
        var state = await connection.QuerySingleAsync<(string Status, long Attempts, long HttpStatus)>(
            "SELECT status, attempts, http_status FROM upload_state WHERE upload_id = @Id", new { Id = receipt.UploadId.ToString("N") });
        Assert.Equal(("failed", 2L, 503L), state);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
