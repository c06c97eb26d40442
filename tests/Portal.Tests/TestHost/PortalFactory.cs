using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Portal.Audit;
using Portal.Uploads;

namespace Portal.Tests.TestHost;

/// <summary>
/// The whole portal on Kestrel at a loopback port, with its development identity provider and Tencent simulator,
/// and a fresh data directory (SQLite file, staging, keys). Everything between the parts is real HTTP.
/// </summary>
public sealed class PortalFactory : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> _settings;
    private readonly bool _ownsDataDirectory;
    private readonly Action<IWebHostBuilder>? _configureWebHost;

    public PortalFactory() : this(new Dictionary<string, string?>())
    {
    }

    /// <param name="extraSettings">Configuration on top of the development defaults.</param>
    /// <param name="dataDirectory">A data directory to use (and leave) instead of a fresh one: another portal's, or one a test prepared.</param>
    /// <param name="configureWebHost">More for the host (a log capture, a middleware), applied after the settings.</param>
    public PortalFactory(IDictionary<string, string?> extraSettings, string? dataDirectory = null, Action<IWebHostBuilder>? configureWebHost = null)
    {
        _configureWebHost = configureWebHost;
        Port = FreeLoopbackPort();
        _ownsDataDirectory = dataDirectory is null;
        DataDirectory = dataDirectory ?? Directory.CreateTempSubdirectory("portal-tests-").FullName;
        _settings = new Dictionary<string, string?>(extraSettings)
        {
            ["DevStack:Origin"] = Origin.ToString().TrimEnd('/'),
            ["Storage:DataDirectory"] = DataDirectory,
        };
        UseKestrel(Port);
    }

    public int Port { get; }

    public Uri Origin => new($"http://127.0.0.1:{Port}/");

    public string DataDirectory { get; }

    public string DatabasePath => Path.Combine(DataDirectory, "portal.db");

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        _configureWebHost?.Invoke(builder);
    }

    /// <summary>A client with its own cookie jar (or the one given: a copy of another browser's cookies) that follows redirects, like a browser tab.</summary>
    public HttpClient CreateBrowserClient(bool followRedirects = true, CookieContainer? cookies = null)
    {
        StartServer();
        var handler = new SocketsHttpHandler { AllowAutoRedirect = followRedirects, UseCookies = true, CookieContainer = cookies ?? new CookieContainer() };
        return new HttpClient(handler) { BaseAddress = Origin };
    }

    /// <summary>Waits for the send worker to finish with an upload (its status leaves queued and sending); fails after <paramref name="timeout"/>.</summary>
    public async Task<UploadEntry> SettledAsync(Guid uploadId, TimeSpan? timeout = null)
    {
        var search = Services.GetRequiredService<AuditSearch>();
        using var deadline = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            var entry = await search.FindAsync(uploadId, deadline.Token) ?? throw new InvalidOperationException($"No upload {uploadId}.");
            if (!UploadLifecycle.IsActive(entry.State.Status))
            {
                return entry;
            }

            await Task.Delay(50, deadline.Token);
        }
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        }

        if (disposing && _ownsDataDirectory)
        {
            try
            {
                Directory.Delete(DataDirectory, recursive: true);
            }
            catch (IOException)
            {
                // A file still held open by a finishing request; the temp folder is cleaned by the OS.
            }
        }
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
