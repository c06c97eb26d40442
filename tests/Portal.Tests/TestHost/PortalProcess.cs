using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Portal.Tests.TestHost;

/// <summary>
/// The portal as an administrator starts it: <c>dotnet Portal.dll</c> from its build output (the configuration these
/// tests were built with), as a process of its own, with only the environment given.
/// </summary>
public sealed class PortalProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private PortalProcess(Process process, string scratch, Uri origin)
    {
        _process = process;
        Scratch = scratch;
        Origin = origin;
        process.OutputDataReceived += (_, line) => Append(line.Data);
        process.ErrorDataReceived += (_, line) => Append(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public Uri Origin { get; }

    /// <summary>A folder of its own (its data directory is <c>data</c> inside it), removed with the process.</summary>
    public string Scratch { get; }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>What a run that ends by itself left: its exit code, what it wrote, and where its data directory would be.</summary>
    public sealed record Run(int ExitCode, string Output, string Error, string DataDirectory)
    {
        public IReadOnlyList<string> ErrorLines { get; } = Error.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line.TrimEnd('\r')).ToList();
    }

    /// <summary>Starts the portal in Production with <paramref name="environment"/> and waits for it to exit (a refused start).</summary>
    public static async Task<Run> RunToExitAsync(Dictionary<string, string?> environment)
    {
        var scratch = Directory.CreateTempSubdirectory("portal-start-").FullName;
        try
        {
            var start = StartInfo("Production", environment, Path.Combine(scratch, "data"), new Uri("http://127.0.0.1:0"));
            start.RedirectStandardOutput = start.RedirectStandardError = true;
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await process.WaitForExitAsync(deadline.Token);
            return new Run(process.ExitCode, await output, await error, Path.Combine(scratch, "data"));
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }

    /// <summary>
    /// Starts the portal on a loopback port (<paramref name="port"/>, or a free one) and waits until it answers. With
    /// <paramref name="tls"/> it serves https with that certificate and trusts only that authority for its own calls out
    /// (the identity provider, Tencent), as a deployment with a private CA would.
    /// </summary>
    public static async Task<PortalProcess> StartAsync(string environmentName, Dictionary<string, string?> environment,
        LoopbackCertificate? tls = null, int? port = null)
    {
        var scratch = Directory.CreateTempSubdirectory("portal-process-").FullName;
        var origin = new Uri($"{(tls is null ? "http" : "https")}://127.0.0.1:{port ?? FreeLoopbackPort()}/");
        var start = StartInfo(environmentName, environment, Path.Combine(scratch, "data"), origin);
        if (tls is not null)
        {
            const string password = "loopback";
            tls.WritePkcs12(Path.Combine(scratch, "tls.pfx"), password);
            tls.WritePem(Path.Combine(scratch, "ca.pem"));
            start.Environment["Kestrel__Certificates__Default__Path"] = Path.Combine(scratch, "tls.pfx");
            start.Environment["Kestrel__Certificates__Default__Password"] = password;
            start.Environment["SSL_CERT_FILE"] = Path.Combine(scratch, "ca.pem");
        }

        start.RedirectStandardOutput = start.RedirectStandardError = true;
        var portal = new PortalProcess(Process.Start(start)!, scratch, origin);
        using var client = new HttpClient(tls?.TrustingHandler() ?? new SocketsHttpHandler()) { BaseAddress = portal.Origin };
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (true)
        {
            try
            {
                using var live = await client.GetAsync("/health/live", deadline.Token);
                return portal;
            }
            catch (HttpRequestException) when (!portal._process.HasExited)
            {
                await Task.Delay(100, deadline.Token);
            }
            catch (HttpRequestException)
            {
                throw new InvalidOperationException($"The portal exited before it answered:\n{portal.Output}");
            }
        }
    }

    /// <summary>Ends the process at once, as a crash or an OOM kill would: no shutdown, nothing recorded on the way out.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
        Directory.Delete(Scratch, recursive: true);
    }

    private void Append(string? line)
    {
        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    private static ProcessStartInfo StartInfo(string environmentName, Dictionary<string, string?> environment, string dataDirectory, Uri origin)
    {
        var portal = PortalBuildOutput();
        var start = new ProcessStartInfo("dotnet", [Path.Combine(portal, "Portal.dll"), "--urls", origin.GetLeftPart(UriPartial.Authority)]) { WorkingDirectory = portal };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = environmentName;
        start.Environment["Storage__DataDirectory"] = dataDirectory;
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        return start;
    }

    /// <summary>src/Portal/bin/&lt;configuration&gt;/net10.0, the configuration being the one these tests were built with.</summary>
    private static string PortalBuildOutput()
    {
        var testOutput = new DirectoryInfo(AppContext.BaseDirectory);
        var framework = testOutput.Name;
        var configuration = testOutput.Parent!.Name;
        for (var directory = testOutput; directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Portal.sln")))
            {
                return Path.Combine(directory.FullName, "src", "Portal", "bin", configuration, framework);
            }
        }

        throw new InvalidOperationException("Portal.sln not found above " + AppContext.BaseDirectory);
    }

    public static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
