using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Portal.Auth;
using Portal.Tencent;
using Portal.Tests.TestHost;
using Portal.Uploads;

namespace Portal.Tests.Tencent;

/// <summary>
/// A Tencent app that cannot be reached: every connection attempt fails and is retried with a warning. Neither the
/// warnings nor anything else the portal writes (logs of any level and category, exceptions, messages, the data folder)
/// may hold the app's SecretKey.
/// </summary>
public sealed class TencentSecretLoggingTests
{
    private const string AccessId = "1500012345";
    private const string SecretKey = "tpns-secret-5f0c2b7e9a1d4c63b8e2";
    private const string RetryWarning = "connection attempt";

    /// <summary>The key itself and the Basic credentials it is sent in.</summary>
    private static readonly string[] Secrets = [SecretKey, Convert.ToBase64String(Encoding.UTF8.GetBytes($"{AccessId}:{SecretKey}"))];

    [Fact]
    public async Task The_connect_retry_warnings_never_hold_the_secret_key()
    {
        using var logs = new CapturingLoggerProvider();
        using var loggerFactory = LoggerFactory.Create(logging => logging.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));
        var options = new TencentOptions { ConnectAttempts = 3, ConnectRetryDelay = TimeSpan.FromMilliseconds(1) };
        using var http = new HttpClient(TencentPushClient.CreatePrimaryHandler(options)) { Timeout = Timeout.InfiniteTimeSpan };
        var client = new TencentPushClient(http, Options.Create(options), loggerFactory.CreateLogger<TencentPushClient>());
        var app = new TencentAppOptions
        {
            Name = "Campaigns",
            Region = TencentRegion.Custom,
            BaseUrl = new Uri($"http://127.0.0.1:{ClosedPort()}/"),
            AccessId = AccessId,
            SecretKey = SecretKey,
        };
        var staged = Path.GetTempFileName();
        await File.WriteAllTextAsync(staged, "alice\nbob\n");

        try
        {
            var result = await client.UploadPackageAsync(app, staged, "accounts.txt", CancellationToken.None);

            Assert.Contains("(Connection refused; 3 attempts).", result.FailureMessage, StringComparison.Ordinal);
            Assert.Equal(2, logs.Entries.Count(entry => entry.Level == LogLevel.Warning && entry.Message.Contains(RetryWarning, StringComparison.Ordinal)));
            AssertNowhere(logs.AllText.Append(result.FailureMessage!));
        }
        finally
        {
            File.Delete(staged);
        }
    }

    [Fact]
    public async Task Sending_through_the_portal_to_an_unreachable_app_never_logs_shows_or_stores_the_secret_key()
    {
        const string appName = "Unreachable app";
        using var logs = new CapturingLoggerProvider();
        using var factory = new PortalFactory(
            new Dictionary<string, string?>
            {
                ["Tencent:ConnectAttempts"] = "3",
                ["Tencent:ConnectRetryDelay"] = "00:00:00.001",
                ["Tencent:Apps:1:Name"] = appName,
                ["Tencent:Apps:1:Region"] = "Custom",
                ["Tencent:Apps:1:BaseUrl"] = $"http://127.0.0.1:{ClosedPort()}/",
                ["Tencent:Apps:1:AccessId"] = AccessId,
                ["Tencent:Apps:1:SecretKey"] = SecretKey,
            },
            configureWebHost:
            // Every category at every level, whatever the portal's own log settings: at Trace the HttpClient factory's request
            // logging would keep the raw Authorization header among its structured values.
            host => host.ConfigureLogging(logging => logging.AddProvider(logs).AddFilter<CapturingLoggerProvider>(null, LogLevel.Trace)));
        using var browser = await BrowserSession.SignInAsync(factory, "mia", "/upload");
        var token = await BrowserSession.AntiforgeryTokenAsync(browser, "/upload");
        using var response = await BrowserSession.PostPackageAsync(browser, token, "accounts.txt", "alice\nbob\n", appName);
        var receipt = (await response.Content.ReadFromJsonAsync<UploadReceipt>())!;

        Assert.True((await factory.Services.GetRequiredService<UploadService>()
            .SendAsync(receipt.UploadId, SendVariant.Original, new PortalUser("dev-mia", "Mia Marketing", "mia@example.com", "issuer", IsUploader: true))).Done);
        var failed = await factory.SettledAsync(receipt.UploadId);
        var message = failed.State.Message!;

        Assert.Equal(UploadStatus.Failed, failed.State.Status);
        Assert.Contains("(Connection refused; 3 attempts).", message, StringComparison.Ordinal);
        Assert.Equal(2, logs.Entries.Count(entry => entry.Category == typeof(TencentPushClient).FullName
            && entry.Level == LogLevel.Warning && entry.Message.Contains(RetryWarning, StringComparison.Ordinal)));
        AssertNowhere(logs.AllText.Append(message).Concat(DataFolderText(factory.DataDirectory)));
    }

    private static void AssertNowhere(IEnumerable<string> texts)
    {
        var all = texts.ToList();
        Assert.NotEmpty(all);
        foreach (var secret in Secrets)
        {
            Assert.DoesNotContain(all, text => text.Contains(secret, StringComparison.Ordinal));
        }
    }

    /// <summary>Every file the portal wrote (database and its write-ahead log, staging, keys), read as UTF-8 while the portal still runs.</summary>
    private static IEnumerable<string> DataFolderText(string directory)
    {
        var files = Directory.GetFiles(directory, "*", SearchOption.AllDirectories);
        Assert.Contains(files, file => file.EndsWith("portal.db", StringComparison.Ordinal));
        foreach (var file in files)
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream, Encoding.UTF8);
            yield return reader.ReadToEnd();
        }
    }

    /// <summary>A loopback port that was free a moment ago and has no listener: connecting is refused at once.</summary>
    private static int ClosedPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
