using System.Net;
using System.Net.Http.Json;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Portal.Audit;
using Portal.Auth;
using Portal.Data;
using Portal.Testing;
using Portal.Tests.TestHost;
using Portal.Uploads;
using static Portal.Tests.Uploads.SendWorkerTests;

namespace Portal.Tests.Uploads;

/// <summary>
/// Two portal replicas on one PostgreSQL database, over loopback, each with its own data directory and a staging folder
/// they share, as a deployment behind a load balancer runs them: a package is sent once whichever replica is asked, a
/// replica that dies mid-send leaves the send to the other to record, and a sign-in on one holds on the other.
/// </summary>
public sealed class ReplicaTests : IAsyncLifetime
{
    private const string SlowApp = SendWorkerTests.SlowApp;
    private static readonly PortalUser Mia = new("dev-mia", "Mia Marketing", "mia@example.com", "issuer", IsUploader: true);
    private static readonly byte[] ChainKey = SendWorkerTests.ChainKey;

    private readonly string _staging = Directory.CreateTempSubdirectory("portal-shared-staging-").FullName;
    private (string App, string Owner, string Name) _database;

    public async Task InitializeAsync() => _database = await TestPostgres.CreateDatabaseAsync();

    public Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        TestPostgres.DropDatabase(_database.Name);
        Directory.Delete(_staging, recursive: true);
        return Task.CompletedTask;
    }

    /// <summary>
    /// What every replica is given: the quick sends and slow app of <see cref="SendWorkerTests"/> (same chain key), the
    /// shared database and staging folder, and a lease long enough to tell "waited for it" from "took it over".
    /// </summary>
    private Dictionary<string, string?> Settings(params (string Key, string Value)[] more) => SendWorkerTests.Settings(
    [
        ("Storage:Provider", "PostgreSql"),
        ("ConnectionStrings:Portal", _database.App),
        ("ConnectionStrings:PortalMigrations", _database.Owner),
        ("Storage:StagingDirectory", _staging),
        ("Uploads:SendLease", "00:00:02"),
        .. more,
    ]);

    [PostgreSqlFact]
    public async Task Fifty_uploads_confirmed_on_two_replicas_at_once_some_on_both_are_each_sent_exactly_once_and_the_chain_verifies()
    {
        using var first = new PortalFactory(Settings(("Uploads:MaxConcurrentSends", "4")));
        using var second = new PortalFactory(Settings(("Uploads:MaxConcurrentSends", "4")));
        using var onFirst = await BrowserSession.SignInAsync(first, "mia", "/upload");
        using var onSecond = await BrowserSession.SignInAsync(second, "mia", "/upload");
        var tokens = new[] { await BrowserSession.AntiforgeryTokenAsync(onFirst, "/upload"), await BrowserSession.AntiforgeryTokenAsync(onSecond, "/upload") };
        var replicas = new[] { first, second };
        var clients = new[] { onFirst, onSecond };
        var receipts = new List<UploadReceipt>();
        for (var i = 0; i < 50; i++)
        {
            using var response = await BrowserSession.PostPackageAsync(clients[i % 2], tokens[i % 2], $"part-{i}.txt", Accounts(3, $"part{i}-"));
            receipts.Add((await response.Content.ReadFromJsonAsync<UploadReceipt>())!);
        }

        // Every upload confirmed on one replica, every fifth on the other too, all at once.
        var confirmations = receipts.SelectMany((receipt, i) => (i % 5 == 0 ? new[] { 0, 1 } : [i % 2])
            .Select(replica => replicas[replica].Services.GetRequiredService<UploadService>().SendAsync(receipt.UploadId, SendVariant.Original, Mia)));
        var answers = await Task.WhenAll(confirmations);
        var settled = await Task.WhenAll(receipts.Select(receipt => first.SettledAsync(receipt.UploadId, TimeSpan.FromSeconds(60))));

        Assert.Equal(50, answers.Count(answer => answer.Done));
        Assert.All(settled, entry => Assert.Equal(UploadStatus.Sent, entry.State.Status));
        var received = Simulator(first).Received.Concat(Simulator(second).Received).Select(package => package.Sha256Hex).Order().ToList();
        Assert.Equal(receipts.Select(receipt => receipt.Sha256).Order(), received);
        Assert.Equal(50, Simulator(first).RequestCount + Simulator(second).RequestCount);
        Assert.True(Simulator(first).RequestCount > 0 && Simulator(second).RequestCount > 0, "One replica sent everything: the test proves nothing about sharing.");

        // No event lost: each upload's history is the whole life of one send, and the chain holds every event in order.
        var search = second.Services.GetRequiredService<AuditSearch>();
        var histories = await Task.WhenAll(receipts.Select(receipt => search.EventsOfAsync(receipt.UploadId)));
        Assert.All(histories, events => Assert.Equal(["received", "validated", "confirmed", "sending", "sent"], events.Select(e => e.Kind)));
        var report = await second.Services.GetRequiredService<AuditIntegrity>().VerifyAsync();
        Assert.True(report.Intact, report.Describe());
        Assert.True(report.EventsChecked >= 250, report.Describe());
    }

    [PostgreSqlFact]
    public async Task A_replica_killed_in_the_middle_of_a_send_leaves_it_to_the_other_to_mark_interrupted_once_the_lease_runs_out()
    {
        var doomed = await PortalProcess.StartAsync("Development", Environment(Settings(("Uploads:MaxConcurrentSends", "1"))));
        using var database = (PostgreSqlDatabase)PortalDatabase.Create(new StorageOptions { Provider = "PostgreSql", ConnectionString = _database.App });
        try
        {
            await SendUntilKilledAsync(doomed, database);
        }
        finally
        {
            await doomed.DisposeAsync();
        }
    }

    /// <summary>Starts a slow send on <paramref name="doomed"/>, starts a second replica, kills the first mid-send (its process, no shutdown).</summary>
    private async Task SendUntilKilledAsync(PortalProcess doomed, PostgreSqlDatabase database)
    {
        var receipt = await UploadAsync(doomed.Origin, "big.txt", Accounts(20_000), SlowApp);
        var store = new UploadStore(new AuditTrail(database, new AuditChain(ChainKey), TimeProvider.System), new UploadChanges());
        var search = new AuditSearch(database);
        await store.WriteAsync(receipt.UploadId, async writer =>
        {
            var request = new SendConfirmed(SendVariant.Original, receipt.Sha256, receipt.Size, receipt.Report.ValidCount);
            Assert.NotNull(await UploadStore.RecordAsync(writer, receipt.UploadId, Mia.Actor, request));
            await SendJobs.EnqueueAsync(writer, receipt.UploadId, 1, request, SlowApp, Mia.Actor);
            return true;
        });
        var sending = await UntilAsync(search, receipt.UploadId, entry => entry.Send is { BytesSent: > 0 });

        using var survivor = new PortalFactory(Settings());
        _ = survivor.Services; // running, its worker polling, before the other dies
        await doomed.KillAsync();
        var killedAt = DateTime.UtcNow;
        var interrupted = await survivor.SettledAsync(receipt.UploadId);

        Assert.Equal(UploadStatus.Sending, sending.State.Status);
        Assert.Equal((UploadStatus.Interrupted, true), (interrupted.State.Status, interrupted.State.MayHaveArrived));
        Assert.Matches(@"^Interrupted: the portal instance that was sending it \(.+\) stopped answering, after [\d,]+ bytes had left\.", interrupted.State.Message);
        // The lease is 2 s, renewed every 0.2 s: the survivor must wait out what remained of it, never take the send over.
        Assert.True(interrupted.State.StatusAt >= killedAt.AddSeconds(1.5), $"Marked interrupted {interrupted.State.StatusAt - killedAt} after the kill, before the lease could have run out.");
        Assert.DoesNotContain(Simulator(survivor).Received, package => package.Sha256Hex == receipt.Sha256);
        Assert.Equal(0, Simulator(survivor).RequestCount);
        var report = await survivor.Services.GetRequiredService<AuditIntegrity>().VerifyAsync();
        Assert.True(report.Intact, report.Describe());
    }

    [PostgreSqlFact]
    public async Task A_user_signed_in_on_one_replica_is_signed_in_on_the_other_and_may_upload_there()
    {
        using var first = new PortalFactory(Settings());
        using var second = new PortalFactory(Settings());
        var cookies = new CookieContainer();
        using (var onFirst = first.CreateBrowserClient(cookies: cookies))
        {
            await DevSignIn.SignInAsync(onFirst, "mia", "/upload");
        }

        using var onSecond = second.CreateBrowserClient(followRedirects: false, cookies: cookies);
        using var stranger = second.CreateBrowserClient(followRedirects: false);
        using var page = await onSecond.GetAsync("/upload");
        using var notSignedIn = await stranger.GetAsync("/upload");
        var token = await BrowserSession.AntiforgeryTokenAsync(onSecond, "/upload");
        using var upload = await BrowserSession.PostPackageAsync(onSecond, token, "second.txt", Accounts(2));

        Assert.Equal(HttpStatusCode.Redirect, notSignedIn.StatusCode);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal(HttpStatusCode.OK, upload.StatusCode);
        var receipt = (await upload.Content.ReadFromJsonAsync<UploadReceipt>())!;
        var entry = await first.Services.GetRequiredService<AuditSearch>().FindAsync(receipt.UploadId);
        Assert.Equal("dev-mia", entry?.Upload.UserId);
    }

    /// <summary>Configuration keys as environment variables, for a replica run as a process of its own.</summary>
    private static Dictionary<string, string?> Environment(Dictionary<string, string?> settings) =>
        settings.ToDictionary(setting => setting.Key.Replace(":", "__", StringComparison.Ordinal), setting => setting.Value);

    private static async Task<UploadReceipt> UploadAsync(Uri origin, string fileName, string content, string app)
    {
        using var client = new HttpClient(new SocketsHttpHandler { CookieContainer = new CookieContainer() }) { BaseAddress = origin };
        await DevSignIn.SignInAsync(client, "mia", "/upload");
        var token = await DevSignIn.AntiforgeryTokenAsync(client, "/upload");
        using var response = await client.SendAsync(PackageUpload.Request(token, fileName, new ByteArrayContent(Encoding.UTF8.GetBytes(content)), app));
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<UploadReceipt>())!;
    }

    private static async Task<UploadEntry> UntilAsync(AuditSearch search, Guid uploadId, Func<UploadEntry, bool> condition)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (true)
        {
            var entry = (await search.FindAsync(uploadId, deadline.Token))!;
            if (condition(entry))
            {
                return entry;
            }

            await Task.Delay(50, deadline.Token);
        }
    }
}
