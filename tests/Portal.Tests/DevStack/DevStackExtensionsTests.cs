using System.Net;
using System.Text;
using Portal.DevStack;

namespace Portal.Tests.DevStack;

public sealed class DevStackExtensionsTests
{
    [Theory]
    [InlineData(true, true)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public void AddDevStackRefusesToRunInProduction(bool identityProvider, bool simulator)
    {
        var builder = DevStackTestHost.CreateBuilder(DevStackTestHost.Settings(identityProvider, simulator), "Production");

        var exception = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(builder.AddDevStack);

        Assert.Contains("must not be enabled in Production", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Production")]
    [InlineData("Development")]
    public void DisabledDevStackIsAllowedAnywhereAndConnectsToNothing(string environment)
    {
        var builder = DevStackTestHost.CreateBuilder(DevStackTestHost.Settings(identityProvider: false, simulator: false), environment);

        var connection = builder.AddDevStack();

        Assert.Null(connection.IdentityProvider);
        Assert.Null(connection.TencentSimulator);
    }

    [Fact]
    public async Task DisabledDevStackMapsNothing()
    {
        await using var host = await DevStackTestHost.StartAsync(new Dictionary<string, string?>());
        using var client = host.CreateClient();

        foreach (var path in new[] { ".well-known/openid-configuration", "dev-idp/login", "connect/authorize" })
        {
            using var get = await client.GetAsync(path);
            Assert.NotEqual(HttpStatusCode.OK, get.StatusCode);
        }

        using var upload = await client.PostAsync("tencent-simulator/v3/push/package/upload", new MultipartFormDataContent());
        Assert.NotEqual(HttpStatusCode.OK, upload.StatusCode);
    }

    [Fact]
    public void ConnectionDescribesTheEnabledPartsFromTheOrigin()
    {
        var settings = DevStackTestHost.Settings();
        settings["DevStack:Origin"] = "http://localhost:5080/";
        settings["DevStack:TencentSimulator:PathPrefix"] = "/tencent-simulator/";
        settings["DevStack:TencentSimulator:Apps:1:AccessId"] = "1500000002";

        var connection = DevStackTestHost.CreateBuilder(settings).AddDevStack();
        var other = DevStackTestHost.CreateBuilder(settings).AddDevStack();

        var idp = connection.IdentityProvider!;
        Assert.Equal(new Uri("http://localhost:5080/"), idp.Authority);
        Assert.Equal("portal-dev", idp.ClientId);
        Assert.True(idp.ClientSecret.Length >= 32);
        Assert.NotEqual(idp.ClientSecret, other.IdentityProvider!.ClientSecret);

        var simulator = connection.TencentSimulator!;
        Assert.Equal(new Uri("http://localhost:5080/tencent-simulator/"), simulator.BaseUrl);
        Assert.Equal(["1500000001", "1500000002"], simulator.Apps.Select(a => a.AccessId));
        Assert.Equal(DevStackTestHost.SecretKey, simulator.Apps[0].SecretKey);

        // An empty SecretKey gets a random one per process, in Tencent's 32-hex-digit shape.
        Assert.Matches("^[0-9a-f]{32}$", simulator.Apps[1].SecretKey);
        Assert.NotEqual(simulator.Apps[1].SecretKey, other.TencentSimulator!.Apps[1].SecretKey);

        // Secrets stay out of ToString (and so out of logs that print these records).
        Assert.DoesNotContain(idp.ClientSecret, idp.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(DevStackTestHost.SecretKey, simulator.ToString(), StringComparison.Ordinal);
        Assert.Contains("1500000001", simulator.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RandomSecretKeyIsTheOneTheSimulatorAccepts()
    {
        var settings = DevStackTestHost.Settings(identityProvider: false);
        settings["DevStack:TencentSimulator:Apps:0:SecretKey"] = "";
        await using var host = await DevStackTestHost.StartAsync(settings);
        using var client = host.CreateClient();
        var app = Assert.Single(host.Connection.TencentSimulator!.Apps);

        using var request = new HttpRequestMessage(HttpMethod.Post, host.UploadUri)
        {
            Content = new MultipartFormDataContent { { new ByteArrayContent("a1\n"u8.ToArray()), "file", "a.csv" } },
        };
        request.Headers.Authorization = new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{app.AccessId}:{app.SecretKey}")));
        using var response = await client.SendAsync(request);

        Assert.Contains("\"retCode\":0", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Single(host.Recorder.Received);
    }

    [Theory]
    [InlineData("latency=soon", "DevStack:TencentSimulator:Apps:0:Fault: 'latency=soon' is not a fault.")]
    [InlineData("status=600", "DevStack:TencentSimulator:Apps:0:Fault: 'status=600' is not a fault.")]
    [InlineData(";", "DevStack:TencentSimulator:Apps:0:Fault: the fault is empty")]
    public void InvalidSimulatorFaultIsRejectedWithItsKey(string fault, string message)
    {
        var settings = DevStackTestHost.Settings();
        settings["DevStack:TencentSimulator:Apps:0:Fault"] = fault;

        var exception = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(DevStackTestHost.CreateBuilder(settings).AddDevStack);

        Assert.StartsWith(message, exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("localhost:5080")]
    [InlineData("ftp://localhost")]
    [InlineData("http://localhost:5080/?x=1")]
    public void InvalidOriginIsRejected(string? origin)
    {
        var settings = DevStackTestHost.Settings();
        settings["DevStack:Origin"] = origin;

        var exception = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(DevStackTestHost.CreateBuilder(settings).AddDevStack);

        Assert.Contains("DevStack:Origin", exception.Message, StringComparison.Ordinal);
    }
}
