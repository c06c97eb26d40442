using System.Diagnostics;
using System.Net;
using System.Text;

namespace Portal.Tests.DevStack;

/// <summary>Faults injected per request (header X-Simulator-Fault) and per app (setting Apps:N:Fault).</summary>
public sealed class TencentSimulatorFaultTests : SimulatorTest
{
    protected override Dictionary<string, string?> Settings()
    {
        var settings = base.Settings();
        settings["DevStack:TencentSimulator:Apps:1:AccessId"] = "1500000002";
        settings["DevStack:TencentSimulator:Apps:1:SecretKey"] = "fedcba9876543210fedcba9876543210";
        settings["DevStack:TencentSimulator:Apps:1:Fault"] = "retcode=1008028";
        return settings;
    }

    /// <summary><c>1500000002:fedcba9876543210fedcba9876543210</c>, an app configured with the fault <c>retcode=1008028</c>.</summary>
    private const string RateLimitedApp = "Basic MTUwMDAwMDAwMjpmZWRjYmE5ODc2NTQzMjEwZmVkY2JhOTg3NjU0MzIxMA==";

    [Theory]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(503)]
    [InlineData(403)]
    public async Task StatusAnswersAnHtmlErrorPageAndKeepsNothing(int status)
    {
        using var response = await SendAsync($"status={status}");

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains($"<h1>{status} ", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(Host.Recorder.Received);
    }

    [Theory]
    [InlineData("retcode=1008028", 1008028, "request too fast")]
    [InlineData("retcode=1010001", 1010001, "resources not deployed")]
    [InlineData("retcode=-7", -7, "simulated error")]
    public async Task RetCodeAnswersItAndKeepsNothing(string fault, int retCode, string errMsg)
    {
        using var response = await SendAsync(fault);

        Assert.Equal((retCode, errMsg, 0L), await SimulatorRequests.ReadAnswerAsync(response));
        Assert.Empty(Host.Recorder.Received);
    }

    [Fact]
    public async Task StatusWithRetCodeAnswersTheJsonInThatStatus()
    {
        using var response = await SendAsync("status=403; retcode=1008003");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("""{"retCode":1008003,"errMsg":"auth failure","uploadId":0}""", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("answer=html", "text/html", "<html><head><title>Welcome</title></head><body>Request received.</body></html>")]
    [InlineData("answer=no-upload-id", "application/json", """{"retCode":0,"errMsg":""}""")]
    [InlineData("answer=zero-upload-id", "application/json", """{"retCode":0,"errMsg":"","uploadId":0}""")]
    public async Task GarbledAnswersFollowAPackageThatArrived(string fault, string mediaType, string body)
    {
        using var response = await SendAsync(fault);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(body, await response.Content.ReadAsStringAsync());
        Assert.Equal(1L, Assert.Single(Host.Recorder.Received).UploadId);
    }

    [Fact]
    public async Task TruncatedAnswerPromisesMoreThanItSends()
    {
        using var response = await SendAsync("answer=truncated", HttpCompletionOption.ResponseHeadersRead);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(38, response.Content.Headers.ContentLength); // {"retCode":0,"errMsg":"","uploadId":1}
        var error = await Assert.ThrowsAsync<HttpRequestException>(() => response.Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpRequestError.ResponseEnded, Assert.IsType<HttpIOException>(error.InnerException).HttpRequestError);
        Assert.Single(Host.Recorder.Received);
    }

    [Fact]
    public async Task ResetInTheMiddleOfTheBodyDropsTheConnectionAndKeepsNothing()
    {
        await Assert.ThrowsAsync<HttpRequestException>(() => SendAsync("reset=100", body: new byte[256 * 1024]));

        Assert.Empty(Host.Recorder.Received);
        Assert.Equal(1, Host.Recorder.RequestCount);
    }

    [Fact]
    public async Task ResetAtTheEndKeepsThePackageButNeverAnswers()
    {
        await Assert.ThrowsAsync<HttpRequestException>(() => SendAsync("reset=end"));

        Assert.Single(Host.Recorder.Received);
    }

    [Fact]
    public async Task LatencyDelaysTheAnswer()
    {
        var clock = Stopwatch.StartNew();
        using var response = await SendAsync("latency=400ms");

        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(390), TimeSpan.FromSeconds(30));
        Assert.Equal((0, "", 1L), await SimulatorRequests.ReadAnswerAsync(response));
    }

    [Fact]
    public async Task SlowReadTakesTheBodyAtTheGivenRate()
    {
        var clock = Stopwatch.StartNew();
        using var response = await SendAsync("slow-read=16000", body: Accounts(8000));

        // 8,000 bytes of file plus the multipart framing at 16,000 bytes a second: half a second at least.
        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(490), TimeSpan.FromSeconds(30));
        Assert.Equal((0, "", 1L), await SimulatorRequests.ReadAnswerAsync(response));
        Assert.Equal(8000, Assert.Single(Host.Recorder.Received).Size);
    }

    [Fact]
    public async Task AMalformedFaultIsAnsweredWith400AndTheSyntax()
    {
        using var response = await SendAsync("latency=soon");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        Assert.StartsWith("X-Simulator-Fault: 'latency=soon' is not a fault.", text, StringComparison.Ordinal);
        Assert.Contains("slow-read=<bytes per second>", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnAppsConfiguredFaultAppliesToItsUploadsUnlessTheHeaderGivesAnother()
    {
        using var configured = await SendAsync(fault: null, authorization: RateLimitedApp);
        using var overridden = await SendAsync("latency=1ms", authorization: RateLimitedApp);
        using var otherApp = await SendAsync(fault: null);

        Assert.Equal((1008028, "request too fast", 0L), await SimulatorRequests.ReadAnswerAsync(configured));
        Assert.Equal((0, "", 1L), await SimulatorRequests.ReadAnswerAsync(overridden));
        Assert.Equal((0, "", 2L), await SimulatorRequests.ReadAnswerAsync(otherApp));
        Assert.Equal(["1500000002", "1500000001"], Host.Recorder.Received.Select(p => p.AccessId));
    }

    private Task<HttpResponseMessage> SendAsync(
        string? fault,
        HttpCompletionOption completion = HttpCompletionOption.ResponseContentRead,
        byte[]? body = null,
        string authorization = SimulatorRequests.Authorization) =>
        SimulatorRequests.SendAsync(
            Client, Host.UploadUri, SimulatorRequests.Package("accounts.txt", body ?? Encoding.UTF8.GetBytes("a1\na2\n")), authorization, fault, completion);

    /// <summary>Valid accounts (<c>account\n</c> repeated) of <paramref name="length"/> bytes, a multiple of 8.</summary>
    private static byte[] Accounts(int length) => Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("account\n", length / 8)));
}
