using System.Globalization;
using System.Text;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Portal.Audit;
using Portal.DevStack;
using Portal.Packages;
using Portal.Uploads;

namespace Portal.EndToEnd;

/// <summary>
/// Cancelling a 100 MB transfer half-way: the browser's upload is throttled through the DevTools protocol so that it
/// lasts several seconds; after Cancel nothing is staged, nothing is recorded as an upload, and the trail says who
/// stopped the transfer and how far it had got.
/// </summary>
public sealed class CancelTransferTests : ChromiumTest
{
    private const string FileName = "hundred-megabytes.txt";

    /// <summary>
    /// The browser's upload rate, 5 MB/s: the whole file would take about twenty seconds, so Cancel, pressed once a fifth
    /// is shown, lands well inside the transfer even on a busy machine (at 10 MB/s the server had 42 % when Cancel arrived).
    /// </summary>
    private const int UploadBytesPerSecond = 5 * 1024 * 1024;

    private readonly DirectoryInfo _files = Directory.CreateTempSubdirectory("portal-e2e-");

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        _files.Delete(recursive: true);
    }

    [Fact]
    public Task Cancelling_a_100_MB_transfer_half_way_keeps_nothing_and_records_who_stopped_it() => JourneyAsync(async context =>
    {
        var package = HundredMegabytesOfAccounts(Path.Combine(_files.FullName, FileName));
        var page = await context.NewPageAsync();
        await SignInAsync(page, "upload", "mia");
        await FilePickerReadyAsync(page);

        var devTools = await context.NewCDPSessionAsync(page);
        await devTools.SendAsync("Network.enable");
        await devTools.SendAsync("Network.emulateNetworkConditions", new Dictionary<string, object>
        {
            ["offline"] = false,
            ["latency"] = 0,
            ["downloadThroughput"] = -1,
            ["uploadThroughput"] = UploadBytesPerSecond,
        });

        await page.Locator("#package-picker input[type=file]").SetInputFilesAsync(package.FullName);
        var percent = page.GetByTestId("transfer-percent");
        await page.WaitForFunctionAsync("""
            () => {
                const percent = document.querySelector('[data-testid="transfer-percent"]');
                return percent !== null && parseInt(percent.textContent, 10) >= 20;
            }
            """, null, new() { PollingInterval = 50 });
        var shown = int.Parse((await percent.InnerTextAsync()).TrimEnd('%', ' '), CultureInfo.InvariantCulture);
        Assert.InRange(shown, 20, 80);
        await ScreenshotAsync(page, "1-transferring.png");

        await page.GetByTestId("cancel-transfer").ClickAsync();
        await Expect(page.GetByTestId("failed")).ToHaveTextAsync(
            $"You cancelled the upload of '{FileName}'. Nothing was kept and nothing was sent to Tencent.");
        await ScreenshotAsync(page, "2-cancelled.png");

        // The server hears of the abort a moment after the browser: poll the trail, then the staging folder.
        await using var connection = new SqliteConnection($"Data Source={Portal.DatabasePath};Mode=ReadOnly");
        var abandoned = new List<(string ActorId, string Data)>();
        await UntilAsync(async () =>
        {
            abandoned = (await connection.QueryAsync<(string ActorId, string Data)>(
                "SELECT actor_id, data FROM audit_events WHERE kind = 'transfer-abandoned' ORDER BY seq")).ToList();
            return abandoned.Count > 0;
        }, "a transfer-abandoned event");
        var (actorId, data) = Assert.Single(abandoned);
        var transfer = Assert.IsType<TransferAbandoned>(AuditEventData.Parse(AuditEventData.KindOf<TransferAbandoned>(), data));
        Assert.Equal(("dev-mia", FileName, "Demo app (simulator)", "cancelled by the uploader"),
            (actorId, transfer.FileName, transfer.TencentApp, transfer.Reason));
        Assert.InRange(transfer.BytesReceived, 1, package.Length - 1);

        var staging = Path.Combine(Portal.DataDirectory, "staging");
        await UntilAsync(() => Task.FromResult(!Directory.EnumerateFileSystemEntries(staging).Any()),
            "an empty staging folder");
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM uploads"));
        Assert.Equal(0, Portal.Services.GetRequiredService<TencentSimulatorRecorder>().RequestCount);
    });

    /// <summary>Exactly 100 MB (the most Tencent takes) of distinct accounts, 16 bytes a line.</summary>
    private static FileInfo HundredMegabytesOfAccounts(string path)
    {
        const int lineLength = 16;
        using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20))
        {
            var line = new byte[lineLength];
            for (long account = 0; account < PackageRules.MaxPackageBytes / lineLength; account++)
            {
                Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"acct-{account:D10}\n"), line);
                file.Write(line);
            }
        }

        return new FileInfo(path);
    }
}
