using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;

using Portal.Tests.TestHost;

namespace Portal.Tests.DevStack;

/// <summary>
/// The documented command starts the simulator on its own and it answers: <c>dotnet run --project
/// src/Portal.TencentSimulator -- --urls …</c>, with the demo apps of its appsettings.json, and refuses what Tencent
/// refuses (every file rule: <see cref="StandaloneSimulatorContentTests"/>).
/// </summary>
public sealed partial class StandaloneTencentSimulatorTests
{
    [Fact]
    public async Task The_standalone_simulator_starts_and_answers_with_its_demo_apps()
    {
        using var simulator = StartSimulator();
        var baseUrl = await simulator.ListeningAsync.WaitAsync(TimeSpan.FromMinutes(3));
        using var client = new HttpClient { BaseAddress = baseUrl };

        var accepted = await UploadAsync(client, "1500000001:simulator-demo-secret-1500000001");
        var rateLimited = await UploadAsync(client, "1500000002:simulator-demo-secret-1500000002");
        var unknown = await UploadAsync(client, "1599999999:whatever");
        var utf16 = await UploadAsync(client, "1500000001:simulator-demo-secret-1500000001", "accounts.txt", Encoding.Unicode.GetBytes("a1\na2\n"));

        // The README's curl example, and its .csv sibling with a quoted comma.
        var examples = Path.Combine(Repository.Root(), "wwwroot-assets", "examples");
        var exampleTxt = await UploadAsync(client, "1500000001:simulator-demo-secret-1500000001", "accounts.txt", File.ReadAllBytes(Path.Combine(examples, "accounts.txt")));
        var exampleCsv = await UploadAsync(client, "1500000001:simulator-demo-secret-1500000001", "accounts.csv", File.ReadAllBytes(Path.Combine(examples, "accounts.csv")));

        Assert.Equal("""{"retCode":0,"errMsg":"","uploadId":1}""", accepted);
        Assert.Equal("""{"retCode":1008028,"errMsg":"request too fast","uploadId":0}""", rateLimited);
        Assert.Equal("""{"retCode":1008035,"errMsg":"accessId not correct or domain not correct","uploadId":0}""", unknown);
        Assert.Equal("""{"retCode":1008011,"errMsg":"upload file error: line 1 has a NUL byte (UTF-16, UTF-32 or binary data?)","uploadId":0}""", utf16);
        Assert.Equal("""{"retCode":0,"errMsg":"","uploadId":2}""", exampleTxt);
        Assert.Equal("""{"retCode":0,"errMsg":"","uploadId":3}""", exampleCsv);
    }

    private static async Task<string> UploadAsync(HttpClient client, string credentials, string fileName = "accounts.txt", byte[]? bytes = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "v3/push/package/upload")
        {
            Content = SimulatorRequests.Package(fileName, bytes ?? "a1\na2\n"u8.ToArray()),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials)));
        using var response = await client.SendAsync(request);
        return await response.Content.ReadAsStringAsync();
    }

    private static SimulatorProcess StartSimulator()
    {
        var project = Path.Combine(Repository.Root(), "src", "Portal.TencentSimulator");
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            ArgumentList = { "run", "--project", project, "--property:UseSharedCompilation=false", "--", "--urls", "http://127.0.0.1:0" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            Environment =
            {
                // Leave no build servers behind.
                ["MSBUILDDISABLENODEREUSE"] = "1",
                ["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0",
                ["DOTNET_NOLOGO"] = "1",
                ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
            },
        };
        return new SimulatorProcess(Process.Start(start)!);
    }

    [GeneratedRegex(@"Now listening on: (http://127\.0\.0\.1:\d+)")]
    private static partial Regex ListeningLine();

    /// <summary>The running <c>dotnet run</c>, its output watched for the address; killed (with the app it started) on dispose.</summary>
    private sealed class SimulatorProcess : IDisposable
    {
        private readonly Process _process;
        private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly StringBuilder _output = new();

        public SimulatorProcess(Process process)
        {
            _process = process;
            _process.OutputDataReceived += (_, line) => Watch(line.Data);
            _process.ErrorDataReceived += (_, line) => Watch(line.Data);
            _process.EnableRaisingEvents = true;
            _process.Exited += (_, _) => _listening.TrySetException(new InvalidOperationException("The simulator exited:\n" + Output));
            _process.BeginOutputReadLine();
            _process.BeginErrorReadLine();
        }

        public Task<Uri> ListeningAsync => _listening.Task;

        private string Output
        {
            get
            {
                lock (_output)
                {
                    return _output.ToString();
                }
            }
        }

        public void Dispose()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(TimeSpan.FromSeconds(30));
            }

            _process.Dispose();
        }

        private void Watch(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (_output)
            {
                _output.AppendLine(line);
            }

            if (ListeningLine().Match(line) is { Success: true } match)
            {
                _listening.TrySetResult(new Uri(match.Groups[1].Value + "/"));
            }
        }
    }
}
