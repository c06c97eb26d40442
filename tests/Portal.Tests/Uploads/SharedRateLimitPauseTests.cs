using System.Net;
using System.Net.Http.Json;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Portal.Audit;
using Portal.Auth;
using Portal.Data;
using Portal.DevStack;
using Portal.Tencent;
using Portal.Tests.DevStack;
using Portal.Tests.TestHost;
using Portal.Uploads;

namespace Portal.Tests.Uploads;

/// <summary>
/// Issue 12: "Tencent's rate-limit pause is shared by all replicas for that app". Two portals on one store send to one
/// Tencent (a standalone simulator, as a real deployment's replicas all reach the same access point); when Tencent tells
/// one of them "request too fast", the other sends nothing to that app until the pause is over.
/// </summary>
public sealed class SharedRateLimitPauseTests
{
    private const string PacedApp = "Paced app";
    private static readonly TimeSpan Backoff = TimeSpan.FromSeconds(12);
    private static readonly PortalUser Mia = new("dev-mia", "Mia Marketing", "mia@example.com", "issuer", IsUploader: true);

    [Theory, Store(StorageProvider.Sqlite), Store(StorageProvider.PostgreSql)]
    public async Task A_too_fast_answer_to_one_replica_pauses_the_app_on_the_other_until_the_pause_ends(StorageProvider provider)
    {
        using var storage = await TestStorage.CreateAsync(provider);
        await using var tencent = await StartTencentAsync();
        var refusedOnce = new TooFastOnce();
        var settings = Settings(storage, tencent.BaseUrl);
        using var first = new PortalFactory(settings, storage.Options.Value.DataDirectory,
            host => host.ConfigureTestServices(services => services.AddHttpClient<TencentPushClient>().AddHttpMessageHandler(refusedOnce.Handler)));
        var refused = await UploadAsync(first, "refused.txt");
        Assert.True((await UploadServiceOf(first).SendAsync(refused.UploadId, SendVariant.Original, Mia)).Done);
        Assert.Equal(UploadStatus.Failed, (await first.SettledAsync(refused.UploadId)).State.Status);
        // Tencent answered after the refused send started, so the pause lasts at least until then plus the back-off.
        var pausedAtLeastUntil = (await EventsAsync(first, refused.UploadId)).Single(e => e.Kind == "sending").OccurredAt + Backoff;

        // The second replica starts only now, so it cannot have taken the refused send; its gate has never been closed.
        using var second = new PortalFactory(settings, storage.Options.Value.DataDirectory);
        var waiting = await UploadAsync(second, "waiting.txt");
        Assert.True((await UploadServiceOf(second).SendAsync(waiting.UploadId, SendVariant.Original, Mia)).Done);
        var queuedAt = (await EventsAsync(second, waiting.UploadId)).Single(e => e.Kind == "confirmed").OccurredAt;
        Assert.True(queuedAt < pausedAtLeastUntil - TimeSpan.FromSeconds(2),
            $"Queued {queuedAt:HH:mm:ss.fff}, too close to the end of the pause ({pausedAtLeastUntil:HH:mm:ss.fff}) for the test to prove anything.");
        var sent = await second.SettledAsync(waiting.UploadId, TimeSpan.FromSeconds(60));

        Assert.Equal(UploadStatus.Sent, sent.State.Status);
        var sendingAt = (await EventsAsync(second, waiting.UploadId)).Single(e => e.Kind == "sending").OccurredAt;
        Assert.True(sendingAt >= pausedAtLeastUntil,
            $"Sent at {sendingAt:HH:mm:ss.fff}, during the pause Tencent asked of the other replica (until {pausedAtLeastUntil:HH:mm:ss.fff} at least).");
        Assert.Equal(waiting.Sha256, Assert.Single(tencent.Recorder.Received).Sha256Hex);
        Assert.Equal(2, tencent.Recorder.RequestCount);
    }

    /// <summary>Both replicas' settings: the store, a short back-off, and the paced app at the shared Tencent.</summary>
    private static Dictionary<string, string?> Settings(TestStorage storage, Uri tencent)
    {
        var options = storage.Options.Value;
        (string, string)[] store = storage.Provider == StorageProvider.PostgreSql
            ? [("Storage:Provider", "PostgreSql"), ("ConnectionStrings:Portal", options.ConnectionString!), ("ConnectionStrings:PortalMigrations", options.MigrationConnectionString!)]
            : [];
        return SendWorkerTests.Settings(
        [
            .. store,
            ("Tencent:RateLimitBackoff", Backoff.ToString()),
            ("Tencent:Apps:1:Name", PacedApp),
            ("Tencent:Apps:1:Region", nameof(TencentRegion.Custom)),
            ("Tencent:Apps:1:BaseUrl", tencent.ToString()),
            ("Tencent:Apps:1:AccessId", DevStackTestHost.AccessId),
            ("Tencent:Apps:1:SecretKey", DevStackTestHost.SecretKey),
        ]);
    }

    /// <summary>Tencent for both replicas: the simulator on its own, as src/Portal.TencentSimulator runs it.</summary>
    private static async Task<SharedTencent> StartTencentAsync()
    {
        var (app, address) = await DevStackTestHost.StartStandaloneSimulatorAsync();
        return new SharedTencent(app, address, app.Services.GetRequiredService<TencentSimulatorRecorder>());
    }

    private sealed record SharedTencent(WebApplication App, Uri BaseUrl, TencentSimulatorRecorder Recorder) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => App.DisposeAsync();
    }

    /// <summary>Asks the simulator to answer "request too fast" (its fault header) to the first upload only, as Tencent does when pressed.</summary>
    private sealed class TooFastOnce
    {
        private int _used;

        public DelegatingHandler Handler() => new FaultHeader(this);

        private sealed class FaultHeader(TooFastOnce once) : DelegatingHandler
        {
            protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            {
                if (Interlocked.Exchange(ref once._used, 1) == 0)
                {
                    request.Headers.Add(TencentSimulatorFaults.Header, $"retcode={TencentRetCodes.RequestTooFast}");
                }

                return base.SendAsync(request, cancellationToken);
            }
        }
    }

    private static UploadService UploadServiceOf(PortalFactory portal) => portal.Services.GetRequiredService<UploadService>();

    private static Task<IReadOnlyList<AuditEvent>> EventsAsync(PortalFactory portal, Guid uploadId) =>
        portal.Services.GetRequiredService<AuditSearch>().EventsOfAsync(uploadId);

    private static async Task<UploadReceipt> UploadAsync(PortalFactory portal, string fileName)
    {
        using var client = await BrowserSession.SignInAsync(portal, "mia", "/upload");
        var token = await BrowserSession.AntiforgeryTokenAsync(client, "/upload");
        using var response = await BrowserSession.PostPackageAsync(client, token, fileName,
            new ByteArrayContent(Encoding.UTF8.GetBytes(SendWorkerTests.Accounts(3))), PacedApp);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<UploadReceipt>())!;
    }
}
