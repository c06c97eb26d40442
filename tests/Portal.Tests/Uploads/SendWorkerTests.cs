using System.Net.Http.Json;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Portal.Audit;
using Portal.Auth;
using Portal.Data;
using Portal.DevStack;
using Portal.Tests.TestHost;
using Portal.Uploads;

namespace Portal.Tests.Uploads;

/// <summary>
/// Sends as background jobs, on the whole portal over loopback: they outlive whoever asked for them, can be cancelled,
/// survive a restart as the issue asks (queued ones are sent, running ones become interrupted), and two portals on one
/// database send each package once.
/// </summary>
public sealed class SendWorkerTests
{
    internal const string SlowApp = "Slow app";
    private static readonly PortalUser Mia = new("dev-mia", "Mia Marketing", "mia@example.com", "issuer", IsUploader: true);
    private static readonly PortalUser Aaron = new("dev-aaron", "Aaron Auditor", "aaron@example.com", "issuer", IsAuditor: true);
    internal static readonly byte[] ChainKey = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();

    /// <summary>Quick reports and a short lease, so that lapses show within the test; a slow app that takes 20 KB a second.</summary>
    internal static Dictionary<string, string?> Settings(params (string Key, string Value)[] more)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Audit:ChainKey"] = Convert.ToBase64String(ChainKey),
            ["Uploads:ProgressInterval"] = "00:00:00.2",
            ["Uploads:SendLease"] = "00:00:01",
            ["Uploads:QueuePollInterval"] = "00:00:00.2",
            ["DevStack:TencentSimulator:Apps:1:AccessId"] = "1500000011",
            ["DevStack:TencentSimulator:Apps:1:Fault"] = "slow-read=20000",
            ["Tencent:Apps:1:Name"] = SlowApp,
            ["Tencent:Apps:1:Region"] = "Simulator",
            ["Tencent:Apps:1:AccessId"] = "1500000011",
        };
        foreach (var (key, value) in more)
        {
            settings[key] = value;
        }

        return settings;
    }

    [Fact]
    public async Task A_send_goes_on_after_the_browser_that_asked_for_it_has_gone()
    {
        using var portal = new PortalFactory(Settings(("DevStack:TencentSimulator:Apps:0:Fault", "latency=1s")));
        var receipt = await UploadAsync(portal, "campaign.txt", Accounts(3));

        Assert.True((await portal.Services.GetRequiredService<UploadService>().SendAsync(receipt.UploadId, SendVariant.Original, Mia)).Done);
        var sent = await portal.SettledAsync(receipt.UploadId);

        Assert.Equal(UploadStatus.Sent, sent.State.Status);
        var received = Assert.Single(Simulator(portal).Received, package => package.Sha256Hex == receipt.Sha256);
        Assert.Equal(received.UploadId, sent.State.TencentUploadId);
        Assert.Equal(1, Simulator(portal).RequestCount);
    }

    [Fact]
    public async Task Cancelling_a_running_send_stops_it_records_who_cancelled_and_that_it_may_have_arrived()
    {
        using var portal = new PortalFactory(Settings());
        var receipt = await UploadAsync(portal, "big.txt", Accounts(20_000), SlowApp);
        var uploads = portal.Services.GetRequiredService<UploadService>();
        Assert.True((await uploads.SendAsync(receipt.UploadId, SendVariant.Original, Mia)).Done);
        await UntilAsync(portal, receipt.UploadId, entry => entry.Send is { BytesSent: > 0 });

        var cancel = await uploads.CancelAsync(receipt.UploadId, Aaron);
        var cancelled = await portal.SettledAsync(receipt.UploadId);

        Assert.Equal("Stopping the send…", cancel.Message);
        Assert.Equal((UploadStatus.Cancelled, true), (cancelled.State.Status, cancelled.State.MayHaveArrived));
        var events = await portal.Services.GetRequiredService<AuditSearch>().EventsOfAsync(receipt.UploadId);
        Assert.Equal([("cancel-requested", "dev-aaron"), ("cancelled", "dev-aaron")], events.TakeLast(2).Select(e => (e.Kind, e.ActorId)));
        Assert.True(((SendCancelled)events[^1].Parsed!).BytesSent > 0);
        Assert.DoesNotContain(Simulator(portal).Received, package => package.Sha256Hex == receipt.Sha256);
    }

    [Fact]
    public async Task A_queued_send_waits_its_turn_and_cancelling_it_leaves_nothing_sent()
    {
        using var portal = new PortalFactory(Settings(("Uploads:MaxConcurrentSends", "1")));
        var uploads = portal.Services.GetRequiredService<UploadService>();
        var slow = await UploadAsync(portal, "slow.txt", Accounts(20_000), SlowApp);
        var waiting = await UploadAsync(portal, "waiting.txt", Accounts(5));
        Assert.True((await uploads.SendAsync(slow.UploadId, SendVariant.Original, Mia)).Done);
        await UntilAsync(portal, slow.UploadId, entry => entry.Send is { BytesSent: > 0 });

        Assert.True((await uploads.SendAsync(waiting.UploadId, SendVariant.Original, Mia)).Done);
        var queued = (await uploads.FindAsync(waiting.UploadId, Mia))!;
        var cancel = await uploads.CancelAsync(waiting.UploadId, Mia);
        await uploads.CancelAsync(slow.UploadId, Mia);

        Assert.Equal((UploadStatus.Queued, 1), (queued.State.Status, queued.Send?.QueuePosition));
        Assert.Equal("Cancelled before it was sent: nothing reached Tencent.", cancel.Message);
        var cancelled = await portal.SettledAsync(waiting.UploadId);
        Assert.Equal((UploadStatus.Cancelled, false), (cancelled.State.Status, cancelled.State.MayHaveArrived));
        Assert.Equal(UploadStatus.Cancelled, (await portal.SettledAsync(slow.UploadId)).State.Status);
        Assert.Equal(1, Simulator(portal).RequestCount);
    }

    [Fact]
    public async Task A_staged_file_that_cannot_be_read_fails_the_send_as_certainly_not_sent()
    {
        using var portal = new PortalFactory(Settings(("Uploads:MaxConcurrentSends", "1")));
        var uploads = portal.Services.GetRequiredService<UploadService>();
        var slow = await UploadAsync(portal, "slow.txt", Accounts(20_000), SlowApp);
        var gone = await UploadAsync(portal, "gone.txt", Accounts(3));
        Assert.True((await uploads.SendAsync(slow.UploadId, SendVariant.Original, Mia)).Done);
        await UntilAsync(portal, slow.UploadId, entry => entry.Send is { BytesSent: > 0 });
        Assert.True((await uploads.SendAsync(gone.UploadId, SendVariant.Original, Mia)).Done);

        File.Delete(portal.Services.GetRequiredService<StagingStore>().PathOf(gone.UploadId));
        await uploads.CancelAsync(slow.UploadId, Mia);
        var failed = await portal.SettledAsync(gone.UploadId);

        Assert.Equal((UploadStatus.Failed, false), (failed.State.Status, failed.State.MayHaveArrived));
        Assert.StartsWith("The staged package could not be read (", failed.State.Message, StringComparison.Ordinal);
        Assert.Equal(1, Simulator(portal).RequestCount);
    }

    [Fact]
    public async Task Stopping_the_portal_in_the_middle_of_a_send_records_it_as_interrupted()
    {
        using var data = new DataDirectory();
        Guid uploadId;
        using (var portal = new PortalFactory(Settings(), data.Path))
        {
            uploadId = (await UploadAsync(portal, "big.txt", Accounts(20_000), SlowApp)).UploadId;
            Assert.True((await portal.Services.GetRequiredService<UploadService>().SendAsync(uploadId, SendVariant.Original, Mia)).Done);
            await UntilAsync(portal, uploadId, entry => entry.Send is { BytesSent: > 0 });
        }

        var state = (await data.Search.FindAsync(uploadId))!.State;

        Assert.Equal((UploadStatus.Interrupted, true), (state.Status, state.MayHaveArrived));
        Assert.StartsWith("Interrupted: the portal stopped while sending it, after ", state.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task After_a_restart_a_queued_send_is_sent_and_one_whose_worker_died_is_interrupted()
    {
        using var data = new DataDirectory();
        UploadReceipt queued, abandoned;
        using (var first = new PortalFactory(Settings(), data.Path))
        {
            queued = await UploadAsync(first, "queued.txt", Accounts(3));
            abandoned = await UploadAsync(first, "abandoned.txt", Accounts(4));
        }

        // While no portal runs: a worker took one send and died; another send waits in the queue.
        await QueueAsync(data.Store, abandoned);
        await data.Store.WriteAsync(abandoned.UploadId, async writer =>
        {
            var claimed = await SendJobs.ClaimNextAsync(writer, "gone-replica/1/dead", writer.Now.AddSeconds(-1), []);
            Assert.Equal(abandoned.UploadId, claimed?.UploadId);
            return await UploadStore.RecordAsync(writer, abandoned.UploadId, AuditActor.System, new SendStarted(1, "gone-replica/1/dead"));
        });
        await QueueAsync(data.Store, queued);

        using var second = new PortalFactory(Settings(), data.Path);
        var sent = await second.SettledAsync(queued.UploadId);
        var interrupted = await second.SettledAsync(abandoned.UploadId);

        Assert.Equal(UploadStatus.Sent, sent.State.Status);
        Assert.Single(Simulator(second).Received, package => package.Sha256Hex == queued.Sha256);
        Assert.Equal((UploadStatus.Interrupted, false), (interrupted.State.Status, interrupted.State.MayHaveArrived));
        Assert.Contains("(gone-replica/1/dead) stopped answering", interrupted.State.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Simulator(second).Received, package => package.Sha256Hex == abandoned.Sha256);
        Assert.True((await second.Services.GetRequiredService<AuditIntegrity>().VerifyAsync()).Intact);
    }

    [Fact]
    public async Task Two_portals_on_one_database_send_each_queued_package_exactly_once()
    {
        using var first = new PortalFactory(Settings(("Uploads:MaxConcurrentSends", "3")));
        using var second = new PortalFactory(Settings(("Uploads:MaxConcurrentSends", "3")), first.DataDirectory);
        var receipts = new List<UploadReceipt>();
        for (var i = 0; i < 12; i++)
        {
            receipts.Add(await UploadAsync(first, $"part-{i}.txt", Accounts(3, prefix: $"part{i}-")));
        }

        // Each portal's worker competes for every job, wherever it was queued.
        await Task.WhenAll(receipts.Select((receipt, i) => (i % 2 == 0 ? first : second).Services.GetRequiredService<UploadService>()
            .SendAsync(receipt.UploadId, SendVariant.Original, Mia)));
        var settled = await Task.WhenAll(receipts.Select(receipt => first.SettledAsync(receipt.UploadId)));

        Assert.All(settled, entry => Assert.Equal(UploadStatus.Sent, entry.State.Status));
        var received = Simulator(first).Received.Concat(Simulator(second).Received).ToList();
        Assert.Equal(receipts.Select(r => r.Sha256).Order(), received.Select(p => p.Sha256Hex).Order());
        Assert.Equal(12, Simulator(first).RequestCount + Simulator(second).RequestCount);
        Assert.True((await first.Services.GetRequiredService<AuditIntegrity>().VerifyAsync()).Intact);
    }

    /// <summary>A data directory that outlives the portals using it, with the trail opened on it directly (same chain key).</summary>
    private sealed class DataDirectory : IDisposable
    {
        public DataDirectory()
        {
            var connections = PortalDatabase.Create(new StorageOptions { DataDirectory = Path });
            Store = new UploadStore(new AuditTrail(connections, new AuditChain(ChainKey), TimeProvider.System), new UploadChanges());
            Search = new AuditSearch(connections);
        }

        public string Path { get; } = Directory.CreateTempSubdirectory("portal-restart-").FullName;

        public UploadStore Store { get; }

        public AuditSearch Search { get; }

        public void Dispose()
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(Path, recursive: true);
        }
    }

    internal static TencentSimulatorRecorder Simulator(PortalFactory portal) => portal.Services.GetRequiredService<TencentSimulatorRecorder>();

    internal static string Accounts(int count, string prefix = "user-") =>
        string.Concat(Enumerable.Range(0, count).Select(i => $"{prefix}{Guid.NewGuid():N}{i}\n"));

    private static async Task<UploadReceipt> UploadAsync(PortalFactory portal, string fileName, string content, string app = BrowserSession.DemoApp)
    {
        using var client = await BrowserSession.SignInAsync(portal, "mia", "/upload");
        var token = await BrowserSession.AntiforgeryTokenAsync(client, "/upload");
        using var response = await BrowserSession.PostPackageAsync(client, token, fileName, new ByteArrayContent(Encoding.UTF8.GetBytes(content)), app);
        return (await response.Content.ReadFromJsonAsync<UploadReceipt>())!;
    }

    /// <summary>Queues the original for sending, as <see cref="UploadService.SendAsync"/> does, without a portal running.</summary>
    private static Task QueueAsync(UploadStore store, UploadReceipt receipt) => store.WriteAsync(receipt.UploadId, async writer =>
    {
        var request = new SendConfirmed(SendVariant.Original, receipt.Sha256, receipt.Size, receipt.Report.ValidCount);
        Assert.NotNull(await UploadStore.RecordAsync(writer, receipt.UploadId, Mia.Actor, request));
        await SendJobs.EnqueueAsync(writer, receipt.UploadId, 1, request, BrowserSession.DemoApp, Mia.Actor);
        return true;
    });

    private static async Task UntilAsync(PortalFactory portal, Guid uploadId, Func<UploadEntry, bool> condition)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!condition((await portal.Services.GetRequiredService<AuditSearch>().FindAsync(uploadId, deadline.Token))!))
        {
            await Task.Delay(50, deadline.Token);
        }
    }
}
