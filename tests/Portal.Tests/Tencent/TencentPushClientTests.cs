using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Portal.DevStack;
using Portal.Tencent;
using Portal.Tests.DevStack;

namespace Portal.Tests.Tencent;

/// <summary>
/// The client against the Tencent Push simulator over real HTTP on loopback: every answer, every fault, and the proof
/// that nothing is sent twice (the simulator counts the requests that reached it).
/// </summary>
public sealed class TencentPushClientTests : IAsyncLifetime
{
    private const string SecondAccessId = "1500000002";
    private const string SecondSecretKey = "fedcba9876543210fedcba9876543210";

    private readonly string _directory = Directory.CreateTempSubdirectory("tencent-client-").FullName;
    private readonly List<IDisposable> _disposables = [];
    private readonly ManualClock _clock = new();
    private readonly CapturingLogger _log = new();
    private DevStackTestHost _simulator = default!;
    private TencentRateLimitGate _gate = default!;

    public async Task InitializeAsync()
    {
        var settings = DevStackTestHost.Settings(identityProvider: false);
        settings["DevStack:TencentSimulator:Apps:1:AccessId"] = SecondAccessId;
        settings["DevStack:TencentSimulator:Apps:1:SecretKey"] = SecondSecretKey;
        _simulator = await DevStackTestHost.StartAsync(settings);
        _gate = new TencentRateLimitGate(_clock);
    }

    public async Task DisposeAsync()
    {
        _disposables.ForEach(d => d.Dispose());
        await _simulator.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    private TencentSimulatorRecorder Recorder => _simulator.Recorder;

    [Fact]
    public async Task An_upload_returns_the_simulators_uploadId_and_arrives_byte_for_byte()
    {
        var content = Encoding.UTF8.GetBytes("alice\nbob\n张伟\n");

        var result = await Client().UploadPackageAsync(App(), Stage(content), "campaign.txt", CancellationToken.None);

        Assert.True(result.Succeeded, result.FailureMessage);
        Assert.Equal((TencentDelivery.Accepted, 0, 200), (result.Delivery, result.RetCode!.Value, result.HttpStatus!.Value));
        var received = Assert.Single(Recorder.Received);
        Assert.Equal(received.UploadId, result.UploadId);
        Assert.Equal(("campaign.txt", content.Length, Convert.ToHexStringLower(SHA256.HashData(content)), 3L),
            (received.FileName, (int)received.Size, received.Sha256Hex, received.RowCount));
    }

    [Fact]
    public async Task Each_upload_gets_a_new_larger_uploadId()
    {
        var path = Stage("alice\nbob\n"u8.ToArray());
        var client = Client();

        var first = await client.UploadPackageAsync(App(), path, "a.txt", CancellationToken.None);
        var second = await client.UploadPackageAsync(App(), path, "b.txt", CancellationToken.None);

        Assert.True(first.UploadId > 0);
        Assert.True(second.UploadId > first.UploadId);
    }

    [Fact]
    public async Task A_large_package_is_streamed_whole()
    {
        // 12 MiB of distinct accounts, 16 bytes a line: the simulator refuses what Tencent refuses, random bytes too.
        var content = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Range(0, 12 * 1024 * 1024 / 16).Select(i => $"acct-{i:D10}\n")));

        var result = await Client().UploadPackageAsync(App(), Stage(content), "big.csv", CancellationToken.None);

        Assert.True(result.Succeeded, result.FailureMessage);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(content)), Assert.Single(Recorder.Received).Sha256Hex);
    }

    [Theory]
    [InlineData(DevStackTestHost.AccessId, "not-the-secret", 1008003)]
    [InlineData("1599999999", DevStackTestHost.SecretKey, 1008035)]
    public async Task Wrong_credentials_are_a_configuration_failure_and_nothing_arrived(string accessId, string secretKey, int retCode)
    {
        var app = App();
        app.AccessId = accessId;
        app.SecretKey = secretKey;

        var result = await Upload(Client(), app);

        Assert.Equal((retCode, TencentFailureKind.Configuration, TencentDelivery.NotDelivered), (result.RetCode!.Value, result.FailureKind!.Value, result.Delivery));
        Assert.Contains($"(retCode {retCode}:", result.FailureMessage, StringComparison.Ordinal);
        Assert.Empty(Recorder.Received);
    }

    [Theory]
    [InlineData("accounts.xlsx", "a1\n", 1008007)]
    [InlineData("accounts.csv", "", 1008012)]
    [InlineData("accounts.zip", "not a zip", 1008011)]
    public async Task A_file_Tencent_refuses_is_the_uploaders_to_fix(string fileName, string content, int retCode)
    {
        var result = await Client().UploadPackageAsync(App(), Stage(Encoding.UTF8.GetBytes(content)), fileName, CancellationToken.None);

        Assert.Equal((retCode, TencentFailureKind.Package, TencentDelivery.NotDelivered), (result.RetCode!.Value, result.FailureKind!.Value, result.Delivery));
    }

    [Theory]
    [InlineData("status=500", 500)]
    [InlineData("status=502", 502)]
    [InlineData("status=503", 503)]
    public async Task A_server_error_may_have_left_the_package_at_Tencent(string fault, int status)
    {
        var result = await Upload(Client(fault));

        Assert.StartsWith($"Tencent Push failed with HTTP {status}: an HTML page (", result.FailureMessage, StringComparison.Ordinal);
        Assert.Equal((status, TencentFailureKind.Unavailable, TencentDelivery.MayHaveArrived), (result.HttpStatus!.Value, result.FailureKind!.Value, result.Delivery));
        Assert.Equal(1, Recorder.RequestCount);
    }

    [Fact]
    public async Task Http_403_is_a_configuration_failure()
    {
        var result = await Upload(Client("status=403"));

        Assert.StartsWith("Tencent Push refused access for app 'Simulator' (HTTP 403).", result.FailureMessage, StringComparison.Ordinal);
        Assert.Equal((TencentFailureKind.Configuration, TencentDelivery.NotDelivered), (result.FailureKind!.Value, result.Delivery));
    }

    [Fact]
    public async Task A_retCode_of_choice_is_explained()
    {
        var result = await Upload(Client("retcode=1008030"));

        Assert.StartsWith("Tencent says app 'Simulator' has not been paid for (retCode 1008030: app not paid).", result.FailureMessage, StringComparison.Ordinal);
        Assert.Equal(TencentFailureKind.Configuration, result.FailureKind);
    }

    [Theory]
    [InlineData("answer=html", "Tencent Push answered with something that is not JSON: an HTML page (")]
    [InlineData("answer=truncated", "Tencent Push's answer was cut off")]
    [InlineData("answer=no-upload-id", "Tencent Push reported success but gave no usable uploadId:")]
    [InlineData("answer=zero-upload-id", "Tencent Push reported success but gave no usable uploadId:")]
    [InlineData("reset=end", "The connection to Tencent Push at 127.0.0.1:")]
    public async Task A_lost_or_garbled_answer_says_the_package_may_have_arrived_and_is_not_sent_again(string fault, string message)
    {
        var result = await Upload(Client(fault));

        Assert.StartsWith(message, result.FailureMessage, StringComparison.Ordinal);
        Assert.Equal(TencentDelivery.MayHaveArrived, result.Delivery);

        // It did arrive: the simulator kept it under an uploadId the portal never saw, and was asked only once.
        Assert.Single(Recorder.Received);
        Assert.Equal(1, Recorder.RequestCount);
    }

    [Fact]
    public async Task A_connection_reset_in_the_middle_of_the_body_is_not_delivered_and_not_sent_again()
    {
        // More than the loopback socket buffers hold, so the reset comes while the client is still sending.
        var content = RandomNumberGenerator.GetBytes(32 * 1024 * 1024);

        var result = await Client("reset=65536").UploadPackageAsync(App(), Stage(content), "big.csv", CancellationToken.None);

        Assert.StartsWith("The connection to Tencent Push at 127.0.0.1:", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("of 33,554,432 bytes of the package were sent", result.FailureMessage, StringComparison.Ordinal);
        Assert.EndsWith("The package did not arrive: send it again.", result.FailureMessage, StringComparison.Ordinal);
        Assert.Equal((TencentFailureKind.Unavailable, TencentDelivery.NotDelivered), (result.FailureKind!.Value, result.Delivery));
        Assert.Empty(Recorder.Received);
        Assert.Equal(1, Recorder.RequestCount);
    }

    [Fact]
    public async Task A_slow_reader_that_cannot_take_the_package_in_time_leaves_it_undelivered()
    {
        var content = RandomNumberGenerator.GetBytes(24 * 1024 * 1024);
        var client = Client("slow-read=262144", options => options.UploadTimeout = TimeSpan.FromSeconds(1));

        var result = await client.UploadPackageAsync(App(), Stage(content), "big.csv", CancellationToken.None);

        Assert.StartsWith("Tencent Push at 127.0.0.1:", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("stopped taking the package:", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("were sent within the 1 second an upload may take (Tencent:UploadTimeout)", result.FailureMessage, StringComparison.Ordinal);
        Assert.Equal(TencentDelivery.NotDelivered, result.Delivery);
        Assert.Equal(1, Recorder.RequestCount);
    }

    [Fact]
    public async Task An_answer_later_than_the_idle_timeout_may_have_left_the_package_at_Tencent()
    {
        var client = Client("latency=3s", options => options.IdleTimeout = TimeSpan.FromMilliseconds(500));

        var result = await Upload(client);

        Assert.StartsWith("Tencent Push received the whole package but did not answer within 500 ms (Tencent:IdleTimeout).", result.FailureMessage, StringComparison.Ordinal);
        Assert.Equal(TencentDelivery.MayHaveArrived, result.Delivery);
        Assert.Single(Recorder.Received);
    }

    [Fact]
    public async Task A_server_that_never_answers_times_out_after_the_whole_package_was_sent()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var app = App();
        app.BaseUrl = new Uri($"http://127.0.0.1:{((IPEndPoint)silent.LocalEndpoint).Port}/");

        var result = await Upload(Client(configure: options => options.IdleTimeout = TimeSpan.FromSeconds(1)), app);

        Assert.StartsWith("Tencent Push received the whole package but did not answer within 1 second", result.FailureMessage, StringComparison.Ordinal);
        Assert.Equal(TencentDelivery.MayHaveArrived, result.Delivery);
    }

    [Fact]
    public async Task A_connection_that_could_not_be_opened_is_tried_again_and_the_package_arrives_once()
    {
        var attempts = 0;
        var client = Client(connect: async (context, cancellationToken) =>
        {
            if (Interlocked.Increment(ref attempts) <= 2)
            {
                throw new SocketException((int)SocketError.ConnectionRefused);
            }

            return await ConnectAsync(context, cancellationToken);
        });

        var result = await Upload(client);

        Assert.True(result.Succeeded, result.FailureMessage);
        Assert.Equal(3, attempts);
        Assert.Single(Recorder.Received);
        Assert.Equal(1, Recorder.RequestCount);
        Assert.Equal(2, _log.Entries.Count(entry => entry.Contains("connection attempt", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_connection_that_never_opens_is_given_up_after_the_configured_attempts()
    {
        var attempts = 0;
        var client = Client(connect: (_, _) =>
        {
            Interlocked.Increment(ref attempts);
            throw new SocketException((int)SocketError.ConnectionRefused);
        });

        var result = await Upload(client);

        Assert.Equal(3, attempts);
        Assert.StartsWith("Could not connect to Tencent Push at 127.0.0.1:", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("; 3 attempts). Nothing was sent: try again later;", result.FailureMessage, StringComparison.Ordinal);
        Assert.Equal((TencentFailureKind.Unavailable, TencentDelivery.NotDelivered), (result.FailureKind!.Value, result.Delivery));
        Assert.Equal(0, Recorder.RequestCount);
    }

    [Fact]
    public async Task A_connect_timeout_is_tried_again_too()
    {
        var attempts = 0;
        var client = Client(
            configure: options => options.ConnectTimeout = TimeSpan.FromMilliseconds(200),
            connect: async (context, cancellationToken) =>
            {
                if (Interlocked.Increment(ref attempts) == 1)
                {
                    await Task.Delay(Timeout.Infinite, cancellationToken);
                }

                return await ConnectAsync(context, cancellationToken);
            });

        var result = await Upload(client);

        Assert.True(result.Succeeded, result.FailureMessage);
        Assert.Equal(2, attempts);
        Assert.Single(Recorder.Received);
    }

    [Fact]
    public async Task A_closed_port_is_a_plain_failure()
    {
        var app = App();
        app.BaseUrl = new Uri($"http://127.0.0.1:{ClosedPort()}/");

        var result = await Upload(Client(configure: options => options.ConnectAttempts = 1), app);

        Assert.StartsWith($"Could not connect to Tencent Push at {app.BaseUrl.Authority} (Connection refused; 1 attempt).", result.FailureMessage, StringComparison.Ordinal);
        Assert.Equal(TencentDelivery.NotDelivered, result.Delivery);
    }

    [Fact]
    public async Task Request_too_fast_closes_the_apps_gate_until_the_backoff_has_passed()
    {
        var limited = Client("retcode=1008028");

        var refused = await Upload(limited);
        var held = await Upload(Client());

        Assert.Equal((TencentFailureKind.RateLimited, _clock.Now + TimeSpan.FromMinutes(1)), (refused.FailureKind!.Value, refused.RetryAfter!.Value));
        Assert.EndsWith($"The portal sends nothing more to this app before {_clock.Now.AddMinutes(1):HH:mm:ss} UTC: try again in about 1 minute.", refused.FailureMessage, StringComparison.Ordinal);
        Assert.StartsWith("Tencent Push asked the portal to slow down for app 'Simulator', so nothing was sent.", held.FailureMessage, StringComparison.Ordinal);
        Assert.Equal((TencentDelivery.NotDelivered, refused.RetryAfter), (held.Delivery, held.RetryAfter));
        Assert.Equal(1, Recorder.RequestCount);

        // Another app is not held back; after the back-off this one may send again.
        Assert.True((await Upload(Client(), App(SecondAccessId, SecondSecretKey))).Succeeded);
        _clock.Now += TimeSpan.FromMinutes(1);
        Assert.True((await Upload(Client())).Succeeded);
    }

    [Fact]
    public async Task Refusals_in_a_row_double_the_backoff_and_a_success_resets_it()
    {
        var start = _clock.Now;
        var first = await Upload(Client("retcode=1008028"));
        _clock.Now = first.RetryAfter!.Value;
        var second = await Upload(Client("retcode=1008028"));
        _clock.Now = second.RetryAfter!.Value;
        var third = await Upload(Client("status=429"));
        _clock.Now = third.RetryAfter!.Value;
        var success = await Upload(Client());
        var fourth = await Upload(Client("retcode=1008028"));

        Assert.Equal(start + TimeSpan.FromMinutes(1), first.RetryAfter);
        Assert.Equal(first.RetryAfter + TimeSpan.FromMinutes(2), second.RetryAfter);
        Assert.Equal(second.RetryAfter + TimeSpan.FromMinutes(4), third.RetryAfter);
        Assert.True(success.Succeeded);
        Assert.Equal(third.RetryAfter + TimeSpan.FromMinutes(1), fourth.RetryAfter);
        Assert.Equal(fourth.RetryAfter, _gate.BlockedUntil(App()));
    }

    [Fact]
    public async Task Http_429_with_retry_after_closes_the_gate_for_as_long_as_asked()
    {
        await using var server = new CapturingServer("HTTP/1.1 429 Too Many Requests\r\nRetry-After: 600\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        var app = App();
        app.BaseUrl = server.BaseUrl;

        var result = await Upload(Client(), app);

        Assert.Equal((TencentFailureKind.RateLimited, _clock.Now + TimeSpan.FromMinutes(10)), (result.FailureKind!.Value, result.RetryAfter!.Value));
        Assert.EndsWith("try again in about 10 minutes.", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refusal_with_a_positive_uploadId_is_a_failure_and_no_uploadId_is_reported()
    {
        await using var server = new CapturingServer(CapturingServer.Json("""{"retCode":1008011,"errMsg":"upload file error","uploadId":5}"""));
        var app = App();
        app.BaseUrl = server.BaseUrl;

        var result = await Upload(Client(), app);

        Assert.False(result.Succeeded);
        Assert.Null(result.UploadId);
        Assert.Equal((TencentFailureKind.Package, TencentDelivery.NotDelivered, 1008011, 200),
            (result.FailureKind!.Value, result.Delivery, result.RetCode!.Value, result.HttpStatus!.Value));
        Assert.StartsWith("Tencent Push could not take the file (retCode 1008011: upload file error).", result.FailureMessage, StringComparison.Ordinal);
        Assert.DoesNotContain(_log.Entries, entry => entry.Contains("accepted the package", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_caller_leaving_cancels_the_upload()
    {
        using var leaving = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            Client("latency=10s").UploadPackageAsync(App(), Stage("a1\n"u8.ToArray()), "a.txt", leaving.Token));
    }

    [Fact]
    public async Task The_secret_key_is_never_logged_or_shown()
    {
        var wrong = App();
        wrong.SecretKey = "a-wrong-secret-never-to-be-seen";
        var results = new[]
        {
            await Upload(Client(), wrong),
            await Upload(Client()),
            await Upload(Client("status=502")),
            await Upload(Client("reset=end")),
        };

        var shown = results.Select(r => r.FailureMessage + r.ErrMsg).Concat(_log.Entries).ToList();
        foreach (var secret in new[] { wrong.SecretKey, DevStackTestHost.SecretKey, Convert.ToBase64String(Encoding.UTF8.GetBytes($"{DevStackTestHost.AccessId}:{DevStackTestHost.SecretKey}")) })
        {
            Assert.DoesNotContain(shown, text => text.Contains(secret, StringComparison.Ordinal));
        }

        Assert.Contains(_log.Entries, entry => entry.Contains("accepted the package", StringComparison.Ordinal));
    }

    private Task<TencentUploadResult> Upload(TencentPushClient client, TencentAppOptions? app = null) =>
        client.UploadPackageAsync(app ?? App(), Stage("alice\nbob\n"u8.ToArray()), "accounts.txt", CancellationToken.None);

    private TencentAppOptions App(string accessId = DevStackTestHost.AccessId, string secretKey = DevStackTestHost.SecretKey) => new()
    {
        Name = "Simulator",
        Region = TencentRegion.Custom,
        BaseUrl = new Uri(_simulator.BaseAddress, "tencent-simulator/"),
        AccessId = accessId,
        SecretKey = secretKey,
    };

    /// <summary>
    /// A client wired as in production (<see cref="TencentPushClient.CreatePrimaryHandler"/>), sharing this test's gate
    /// and clock; <paramref name="fault"/> goes to the simulator in its header on every request.
    /// </summary>
    private TencentPushClient Client(
        string? fault = null,
        Action<TencentOptions>? configure = null,
        Func<SocketsHttpConnectionContext, CancellationToken, ValueTask<Stream>>? connect = null)
    {
        var options = new TencentOptions { ConnectRetryDelay = TimeSpan.FromMilliseconds(20), UploadTimeout = TimeSpan.FromMinutes(1), IdleTimeout = TimeSpan.FromSeconds(30) };
        configure?.Invoke(options);
        var handler = TencentPushClient.CreatePrimaryHandler(options);
        if (connect is not null)
        {
            handler.ConnectCallback = connect;
        }

        var http = new HttpClient(fault is null ? handler : new FaultHeaderHandler(fault) { InnerHandler = handler }) { Timeout = Timeout.InfiniteTimeSpan };
        _disposables.Add(http);
        return new TencentPushClient(http, Options.Create(options), _log, _gate);
    }

    private static async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
        return new NetworkStream(socket, ownsSocket: true);
    }

    private string Stage(byte[] content)
    {
        var path = Path.Combine(_directory, $"{Guid.NewGuid():N}.bin");
        File.WriteAllBytes(path, content);
        return path;
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Asks the simulator for a fault on every request, as a test or demo would.</summary>
    private sealed class FaultHeaderHandler(string fault) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.Headers.Add(TencentSimulatorFaults.Header, fault);
            return base.SendAsync(request, cancellationToken);
        }
    }

    /// <summary>A clock the test moves by hand (its timers are real: only "now" is fixed).</summary>
    private sealed class ManualClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = new(2026, 3, 1, 8, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => Now;
    }

    /// <summary>Every log entry, formatted with its values, as an operator would read it.</summary>
    private sealed class CapturingLogger : ILogger<TencentPushClient>
    {
        private readonly List<string> _entries = [];

        public IReadOnlyList<string> Entries
        {
            get
            {
                lock (_entries)
                {
                    return [.. _entries];
                }
            }
        }

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (_entries)
            {
                _entries.Add(formatter(state, exception) + " " + exception);
            }
        }
    }
}
