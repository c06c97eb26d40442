using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Portal.Hosting;
using Portal.Tencent;
using Portal.Tests.DevStack;

namespace Portal.Tests.Tencent;

/// <summary>The portal's registration of the Tencent client (<see cref="TencentExtensions.AddTencentPush"/>) and its wiring to the simulator.</summary>
public sealed class TencentExtensionsTests
{
    [Fact]
    public async Task Every_client_the_portal_resolves_shares_one_rate_limit_gate()
    {
        var simulatorSettings = DevStackTestHost.Settings(identityProvider: false);
        simulatorSettings["DevStack:TencentSimulator:Apps:0:Fault"] = "retcode=1008028";
        await using var simulator = await DevStackTestHost.StartAsync(simulatorSettings);
        var builder = DevStackTestHost.CreateBuilder(new Dictionary<string, string?>
        {
            ["Tencent:Apps:0:Name"] = "Campaigns",
            ["Tencent:Apps:0:Region"] = "Custom",
            ["Tencent:Apps:0:BaseUrl"] = new Uri(simulator.BaseAddress, "tencent-simulator/").ToString(),
            ["Tencent:Apps:0:AccessId"] = DevStackTestHost.AccessId,
            ["Tencent:Apps:0:SecretKey"] = DevStackTestHost.SecretKey,
        });
        builder.AddTencentPush();
        await using var portal = builder.Build();
        var app = portal.Services.GetRequiredService<IOptions<TencentOptions>>().Value.FindApp("Campaigns")!;
        var staged = Path.GetTempFileName();
        await File.WriteAllTextAsync(staged, "a1\n");

        try
        {
            var refused = await portal.Services.GetRequiredService<TencentPushClient>().UploadPackageAsync(app, staged, "a.txt", CancellationToken.None);
            var held = await portal.Services.GetRequiredService<TencentPushClient>().UploadPackageAsync(app, staged, "a.txt", CancellationToken.None);

            Assert.Equal(1008028, refused.RetCode);
            Assert.Equal((TencentFailureKind.RateLimited, refused.RetryAfter), (held.FailureKind!.Value, held.RetryAfter));
            Assert.Equal(refused.RetryAfter, portal.Services.GetRequiredService<TencentRateLimitGate>().BlockedUntil(app));
            Assert.Equal(1, simulator.Recorder.RequestCount);
        }
        finally
        {
            File.Delete(staged);
        }
    }

    [Fact]
    public void A_simulator_app_gets_the_simulators_address_and_secret()
    {
        var settings = DevStackTestHost.Settings(identityProvider: false);
        settings["Tencent:Apps:0:Name"] = "Demo";
        settings["Tencent:Apps:0:Region"] = "Simulator";
        settings["Tencent:Apps:0:AccessId"] = DevStackTestHost.AccessId;
        var builder = DevStackTestHost.CreateBuilder(settings);
        builder.AddDevelopmentStack();
        builder.AddTencentPush();
        using var services = builder.Services.BuildServiceProvider();

        var app = Assert.Single(services.GetRequiredService<IOptions<TencentOptions>>().Value.Apps);

        Assert.Equal(new Uri("http://localhost:5080/tencent-simulator/"), app.ResolveBaseUrl());
        Assert.Equal(DevStackTestHost.SecretKey, app.SecretKey);
    }
}
