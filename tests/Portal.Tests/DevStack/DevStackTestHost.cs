using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Portal.DevStack;

namespace Portal.Tests.DevStack;

/// <summary>
/// Hosts only the DevStack in a minimal <see cref="WebApplication"/> on Kestrel at http://127.0.0.1:0 (real HTTP on
/// loopback), shaped like the portal: a default cookie scheme, a fallback policy requiring an authenticated user, and
/// UseAuthentication → UseAuthorization → UseAntiforgery before MapDevStack.
/// </summary>
public sealed class DevStackTestHost : IAsyncDisposable
{
    public const string Origin = "http://localhost:5080";
    public const string ClientId = "portal-dev";
    public const string AccessId = "1500000001";
    public const string SecretKey = "0123456789abcdef0123456789abcdef";
    public const string RedirectUri = Origin + "/signin-oidc";
    public const string PostLogoutRedirectUri = Origin + "/signout-callback-oidc";

    private DevStackTestHost(WebApplication app, Uri baseAddress, DevStackConnection connection)
    {
        App = app;
        BaseAddress = baseAddress;
        Connection = connection;
    }

    public WebApplication App { get; }

    /// <summary>The bound loopback address, ending with a slash, e.g. http://127.0.0.1:41234/.</summary>
    public Uri BaseAddress { get; }

    public DevStackConnection Connection { get; }

    public TencentSimulatorRecorder Recorder => App.Services.GetRequiredService<TencentSimulatorRecorder>();

    public Uri UploadUri => new(BaseAddress, "tencent-simulator/v3/push/package/upload");

    public static Dictionary<string, string?> Settings(bool identityProvider = true, bool simulator = true) => new()
    {
        ["DevStack:Origin"] = Origin,
        ["DevStack:IdentityProvider:Enabled"] = identityProvider ? "true" : "false",
        ["DevStack:IdentityProvider:ClientId"] = ClientId,
        ["DevStack:TencentSimulator:Enabled"] = simulator ? "true" : "false",
        ["DevStack:TencentSimulator:PathPrefix"] = "/tencent-simulator",
        ["DevStack:TencentSimulator:Apps:0:AccessId"] = AccessId,
        ["DevStack:TencentSimulator:Apps:0:SecretKey"] = SecretKey,
    };

    /// <summary>A host with only <paramref name="settings"/>, listening at <paramref name="url"/> (port 0 takes a free one), with <paramref name="certificate"/> for https.</summary>
    public static WebApplicationBuilder CreateBuilder(IDictionary<string, string?> settings, string environment = "Development",
        string url = "http://127.0.0.1:0", X509Certificate2? certificate = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            EnvironmentName = environment,
            ContentRootPath = AppContext.BaseDirectory,
        });

        // Only the given settings: no appsettings*.json (the portal's are copied into the test output), no environment.
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.ConfigureHttpsDefaults(https => https.ServerCertificate = certificate)).UseUrls(url);

        // Requests a test abandoned (a slow reader still working through buffered bytes) are cut short at shutdown.
        builder.Services.Configure<HostOptions>(options => options.ShutdownTimeout = TimeSpan.FromSeconds(1));
        return builder;
    }

    public static async Task<DevStackTestHost> StartAsync(IDictionary<string, string?>? settings = null, string url = "http://127.0.0.1:0",
        X509Certificate2? certificate = null)
    {
        var builder = CreateBuilder(settings ?? Settings(), url: url, certificate: certificate);

        // What the portal has: its own default cookie scheme and an authenticated-user fallback policy.
        builder.Services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme).AddCookie();
        builder.Services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());
        builder.Services.AddAntiforgery();

        var connection = builder.AddDevStack();
        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();
        app.MapDevStack();
        app.MapGet("/portal-page", () => "portal");

        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>()
            .Addresses.Single();
        return new DevStackTestHost(app, new Uri(address.TrimEnd('/') + "/"), connection);
    }

    /// <summary>The simulator on its own, at the root, set up as src/Portal.TencentSimulator sets it up, taking <see cref="AccessId"/>; and its address.</summary>
    public static async Task<(WebApplication App, Uri BaseAddress)> StartStandaloneSimulatorAsync()
    {
        var builder = CreateBuilder(new Dictionary<string, string?>
        {
            [$"{StandaloneTencentSimulatorExtensions.SectionName}:Apps:0:AccessId"] = AccessId,
            [$"{StandaloneTencentSimulatorExtensions.SectionName}:Apps:0:SecretKey"] = SecretKey,
        });
        builder.AddStandaloneTencentSimulator();
        var app = builder.Build();
        app.MapStandaloneTencentSimulator();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        return (app, new Uri(address.TrimEnd('/') + "/"));
    }

    /// <summary>A client that does not follow redirects; with <paramref name="cookies"/> it keeps cookies.</summary>
    public HttpClient CreateClient(CookieContainer? cookies = null) =>
        new(new HttpClientHandler
        {
            AllowAutoRedirect = false,
            UseCookies = cookies is not null,
            CookieContainer = cookies ?? new CookieContainer(),
        })
        {
            BaseAddress = BaseAddress,
        };

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
    }
}

/// <summary>A test class with its own simulator-only DevStack host on loopback and a client for it.</summary>
public abstract class SimulatorTest : IAsyncLifetime
{
    protected DevStackTestHost Host { get; private set; } = null!;

    protected HttpClient Client { get; private set; } = null!;

    /// <summary>The host's settings; a class may add simulator apps or faults.</summary>
    protected virtual Dictionary<string, string?> Settings() => DevStackTestHost.Settings(identityProvider: false);

    public async Task InitializeAsync()
    {
        Host = await DevStackTestHost.StartAsync(Settings());
        Client = Host.CreateClient();
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await Host.DisposeAsync();
    }
}

/// <summary>One identity-provider host shared by a test class (start-up creates keys and seeds the client), with two numbered uploaders.</summary>
public sealed class DevIdentityProviderFixture : IAsyncLifetime
{
    public const int ExtraUploaders = 2;

    public DevStackTestHost Host { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var settings = DevStackTestHost.Settings(simulator: false);
        settings["DevStack:IdentityProvider:ExtraUploaders"] = ExtraUploaders.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Host = await DevStackTestHost.StartAsync(settings);
    }

    public async Task DisposeAsync() => await Host.DisposeAsync();
}

/// <summary>Small helpers shared by the DevStack tests.</summary>
internal static class HttpAssert
{
    public static Uri Location(HttpResponseMessage response, Uri baseAddress)
    {
        Assert.True(
            response.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.Found or HttpStatusCode.SeeOther,
            $"Expected a redirect, got {(int)response.StatusCode}.");
        var location = response.Headers.Location;
        Assert.NotNull(location);
        return location.IsAbsoluteUri ? location : new Uri(baseAddress, location);
    }

    public static IDictionary<string, string> Query(Uri uri) =>
        Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(uri.Query)
            .ToDictionary(p => p.Key, p => p.Value.ToString(), StringComparer.Ordinal);

    public static async Task<string> ReadSuccessfulHtmlAsync(HttpResponseMessage response, HttpStatusCode expected = HttpStatusCode.OK)
    {
        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        return await response.Content.ReadAsStringAsync();
    }
}
