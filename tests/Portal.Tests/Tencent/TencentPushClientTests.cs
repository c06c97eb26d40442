using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Portal.Tencent;
using Portal.Tests.DevStack;

namespace Portal.Tests.Tencent;

/// <summary>The client against the Tencent Push simulator over real HTTP on loopback.</summary>
public sealed class TencentPushClientTests : IAsyncLifetime
{
    private DevStackTestHost _simulator = default!;
    private readonly string _directory = Directory.CreateTempSubdirectory("tencent-client-").FullName;

    public async Task InitializeAsync() => _simulator = await DevStackTestHost.StartAsync(DevStackTestHost.Settings(identityProvider: false));

    public async Task DisposeAsync()
    {
        await _simulator.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task An_upload_returns_the_simulators_uploadId_and_arrives_byte_for_byte()
    {
        var content = Encoding.UTF8.GetBytes("alice\nbob\n张伟\n");
        var path = Stage(content);

        var result = await Client().UploadPackageAsync(App(), path, "campaign.txt", CancellationToken.None);

        Assert.True(result.Succeeded, result.FailureMessage);
        var received = Assert.Single(_simulator.Recorder.Received);
        Assert.Equal(received.UploadId, result.UploadId);
        Assert.Equal(("campaign.txt", content.Length, Convert.ToHexStringLower(SHA256.HashData(content)), 3L),
            (received.FileName, (int)received.Size, received.Sha256Hex, received.RowCount));
    }

    [Fact]
    public async Task Each_upload_gets_a_new_larger_uploadId()
    {
        var path = Stage(Encoding.UTF8.GetBytes("alice\nbob\n"));
        var client = Client();

        var first = await client.UploadPackageAsync(App(), path, "a.txt", CancellationToken.None);
        var second = await client.UploadPackageAsync(App(), path, "b.txt", CancellationToken.None);

        Assert.True(second.UploadId > first.UploadId);
    }

    [Fact]
    public async Task Wrong_credentials_fail_with_tencents_retCode()
    {
        var app = App();
        app.SecretKey = "not-the-secret";

        var result = await Client().UploadPackageAsync(app, Stage(Encoding.UTF8.GetBytes("alice\n")), "a.txt", CancellationToken.None);

        Assert.False(result.Succeeded);
        Assert.Equal(1008003, result.RetCode);
        Assert.Contains("retCode 1008003", result.FailureMessage, StringComparison.Ordinal);
        Assert.Empty(_simulator.Recorder.Received);
    }

    [Fact]
    public async Task A_closed_port_is_a_plain_failure()
    {
        var app = App();
        app.BaseUrl = new Uri($"http://127.0.0.1:{ClosedPort()}/");

        var result = await Client().UploadPackageAsync(app, Stage(Encoding.UTF8.GetBytes("alice\n")), "a.txt", CancellationToken.None);

        Assert.False(result.Succeeded);
        Assert.StartsWith("Could not reach Tencent Push at 127.0.0.1", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_server_that_never_answers_times_out_with_a_clear_message()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var app = App();
        app.BaseUrl = new Uri($"http://127.0.0.1:{((IPEndPoint)silent.LocalEndpoint).Port}/");

        var result = await Client(TimeSpan.FromSeconds(1)).UploadPackageAsync(app, Stage(Encoding.UTF8.GetBytes("alice\n")), "a.txt", CancellationToken.None);

        Assert.False(result.Succeeded);
        Assert.StartsWith("Tencent did not answer within", result.FailureMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(500, "oops", "Tencent Push answered HTTP 500: oops")]
    [InlineData(200, "<html>", "Tencent Push answered with something that is not JSON: <html>")]
    [InlineData(200, """{"errMsg":""}""", "Tencent Push answered without a retCode: {\"errMsg\":\"\"}")]
    [InlineData(200, """{"retCode":0,"errMsg":""}""", "Tencent Push reported success but gave no positive uploadId: {\"retCode\":0,\"errMsg\":\"\"}")]
    [InlineData(200, """{"retCode":0,"errMsg":"","uploadId":0}""", "Tencent Push reported success but gave no positive uploadId: {\"retCode\":0,\"errMsg\":\"\",\"uploadId\":0}")]
    [InlineData(200, """{"retCode":1008011,"errMsg":"upload file error","uploadId":0}""", "Tencent Push refused the package: retCode 1008011 (upload file error).")]
    public void Every_answer_but_success_is_a_failure_with_its_own_message(int status, string body, string message)
    {
        var result = TencentPushClient.Interpret(status, body);

        Assert.False(result.Succeeded);
        Assert.Equal(message, result.FailureMessage);
    }

    [Fact]
    public void Success_is_retCode_zero_with_a_positive_uploadId()
    {
        var result = TencentPushClient.Interpret(200, """{"retCode":0,"errMsg":"","uploadId":12345}""");

        Assert.True(result.Succeeded);
        Assert.Equal(12345, result.UploadId);
    }

    private TencentAppOptions App() => new()
    {
        Name = "Simulator",
        Region = TencentRegion.Custom,
        BaseUrl = new Uri(_simulator.BaseAddress, "tencent-simulator/"),
        AccessId = DevStackTestHost.AccessId,
        SecretKey = DevStackTestHost.SecretKey,
    };

    private static TencentPushClient Client(TimeSpan? timeout = null) => new(
        new HttpClient { Timeout = Timeout.InfiniteTimeSpan },
        Options.Create(new TencentOptions { UploadTimeout = timeout ?? TimeSpan.FromMinutes(1) }),
        NullLogger<TencentPushClient>.Instance);

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
}
