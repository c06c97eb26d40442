using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Portal.Audit;
using Portal.DevStack;
using Portal.Testing;
using Portal.Tests.Api;
using Portal.Tests.TestHost;
using Portal.UploadTool;

namespace Portal.Tests.UploadTool;

/// <summary>
/// <c>portal-upload</c> as a pipeline runs it: <c>check</c> offline on the validator's corpus, <c>send --wait</c> against the
/// whole portal on loopback with the demo service account's real credentials, and every documented exit code.
/// </summary>
public sealed class UploadToolTests(UploadToolTests.Portal shared) : IClassFixture<UploadToolTests.Portal>, IDisposable
{
    private const string RefusingApp = "Refusing app";

    public sealed class Portal : IDisposable
    {
        public PortalFactory Factory { get; } = new(SimulatorAppSettings.WithFaultyApp(RefusingApp, "1500000012", "retcode=10110008",
            ("Uploads:QueuePollInterval", "00:00:00.2")));

        public void Dispose() => Factory.Dispose();
    }

    private readonly DirectoryInfo _files = Directory.CreateTempSubdirectory("portal-upload-tests-");

    public void Dispose() => _files.Delete(recursive: true);

    [Fact]
    public async Task Check_gives_the_validators_verdict_offline()
    {
        var excel = File("export.csv", [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes("Account\r\n13800000001\r\n13800000002\r\n")]);
        var clean = File("clean.txt", "13800000001\n13800000002\n");
        var tokens = File("tokens.txt", string.Concat(Enumerable.Range(0, 3).Select(i => $"{Guid.NewGuid()}\n")));

        var header = await RunAsync(null, "check", excel, "--header");
        var sendable = await RunAsync(null, "check", clean);
        var asTokens = await RunAsync(null, "check", tokens, "--kind", "tokens");
        var asAccounts = await RunAsync(null, "check", clean, "--kind", "tokens");
        var json = await RunAsync(null, "check", clean, "--json");
        var missing = await RunAsync(null, "check", Path.Combine(_files.FullName, "none.txt"));

        Assert.Equal(ExitCodes.FileHasProblems, header.ExitCode);
        Assert.Contains("line 1: is the header row: it is left out of the clean package.", header.Stdout, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Sent, sendable.ExitCode);
        Assert.StartsWith("Sendable", sendable.Stdout, StringComparison.OrdinalIgnoreCase);
        Assert.Equal((ExitCodes.Sent, ExitCodes.FileHasProblems), (asTokens.ExitCode, asAccounts.ExitCode));
        Assert.Contains("\"originalSendable\":true", json.Stdout, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Usage, missing.ExitCode);
    }

    [Fact]
    public async Task Send_wait_prints_the_simulators_upload_id_and_the_trail_names_the_service_account()
    {
        var file = File("nightly.txt", "alice\nbob\ncarol\n");

        var run = await RunAsync(Pipeline(), "send", file, "--app", PackageUpload.DemoApp, "--wait");

        Assert.True(run.ExitCode == ExitCodes.Sent, run.Stderr);
        var received = Assert.Single(Simulator.Received, package => package.FileName == "nightly.txt");
        Assert.Equal(received.UploadId.ToString(System.Globalization.CultureInfo.InvariantCulture), run.Stdout.Trim());
        Assert.Contains("Uploading 100%", run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret(ServiceAccount.Pipeline), run.Stdout + run.Stderr, StringComparison.Ordinal);
        var upload = (await Shared.Services.GetRequiredService<AuditSearch>().SearchAfterAsync(new AuditFilter { FileName = "nightly.txt" }, null, 10)).Single();
        Assert.Equal((ServiceAccount.Pipeline, ServiceAccount.PipelineName), (upload.Upload.UserId, upload.Upload.UserName));
    }

    [Fact]
    public async Task A_file_with_problems_is_sent_only_as_its_clean_package_when_asked()
    {
        var file = File("mixed.txt", "dave\nx\nerin\n");

        var refused = await RunAsync(Pipeline(), "send", file, "--app", PackageUpload.DemoApp, "--wait");
        var cleaned = await RunAsync(Pipeline(), "send", file, "--app", PackageUpload.DemoApp, "--package", "clean", "--wait", "--json");

        Assert.Equal(ExitCodes.FileHasProblems, refused.ExitCode);
        Assert.Contains("--package clean", refused.Stderr, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Sent, cleaned.ExitCode);
        Assert.Contains("\"status\":\"sent\"", cleaned.Stdout, StringComparison.Ordinal);
        Assert.Single(Simulator.Received, package => package.FileName == "mixed.clean.txt");
    }

    [Fact]
    public async Task Exit_codes_say_tencent_refused_sign_in_failed_and_unreachable()
    {
        var file = File("codes.txt", "frank\ngina\n");
        var wrongSecret = Pipeline();
        wrongSecret["PORTAL_CLIENT_SECRET"] = "not-the-secret";
        var noRole = Environment(ServiceAccount.NoRole);
        var unreachable = Pipeline();
        unreachable["PORTAL_URL"] = "http://127.0.0.1:1/";

        var tencentRefused = await RunAsync(Pipeline(), "send", file, "--app", RefusingApp, "--wait");
        var badSecret = await RunAsync(wrongSecret, "send", file, "--app", PackageUpload.DemoApp);
        var forbidden = await RunAsync(noRole, "send", file, "--app", PackageUpload.DemoApp);
        var down = await RunAsync(unreachable, "send", file, "--app", PackageUpload.DemoApp);
        var status = await RunAsync(Pipeline(), "status", Guid.NewGuid().ToString());

        Assert.Equal(ExitCodes.TencentRefused, tencentRefused.ExitCode);
        Assert.Contains("retCode 10110008", tencentRefused.Stderr, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.SignInFailed, badSecret.ExitCode);
        Assert.DoesNotContain("not-the-secret", badSecret.Stderr, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.SignInFailed, forbidden.ExitCode);
        Assert.Equal(ExitCodes.Unreachable, down.ExitCode);
        Assert.Equal(ExitCodes.Usage, status.ExitCode);
    }

    [Fact]
    public async Task Status_shows_an_upload_sent_by_send()
    {
        var file = File("status.txt", "henry\nivan\n");
        var sent = await RunAsync(Pipeline(), "send", file, "--app", PackageUpload.DemoApp, "--json");
        var id = System.Text.Json.JsonDocument.Parse(sent.Stdout).RootElement.GetProperty("id").GetGuid();
        await Shared.SettledAsync(id);

        var status = await RunAsync(Pipeline(), "status", id.ToString());

        Assert.Equal(ExitCodes.Sent, status.ExitCode);
        Assert.StartsWith($"status.txt to '{PackageUpload.DemoApp}' by {ServiceAccount.PipelineName}: sent", status.Stdout, StringComparison.Ordinal);
        Assert.Contains("Tencent uploadId: ", status.Stdout, StringComparison.Ordinal);
    }

    private PortalFactory Shared => shared.Factory;

    private TencentSimulatorRecorder Simulator => Shared.Services.GetRequiredService<TencentSimulatorRecorder>();

    private Dictionary<string, string?> Pipeline() => Environment(ServiceAccount.Pipeline);

    private Dictionary<string, string?> Environment(string clientId) => new()
    {
        ["PORTAL_URL"] = Shared.Origin.ToString(),
        ["PORTAL_CLIENT_ID"] = clientId,
        ["PORTAL_CLIENT_SECRET"] = Secret(clientId),
    };

    private string Secret(string clientId) =>
        Shared.Services.GetRequiredService<DevStackConnection>().IdentityProvider!.ServiceClients.Single(client => client.ClientId == clientId).ClientSecret;

    private string File(string name, string content) => File(name, Encoding.UTF8.GetBytes(content));

    private string File(string name, byte[] content)
    {
        var path = Path.Combine(_files.FullName, name);
        System.IO.File.WriteAllBytes(path, content);
        return path;
    }

    private sealed record Run(int ExitCode, string Stdout, string Stderr);

    private static async Task<Run> RunAsync(Dictionary<string, string?>? environment, params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await global::Portal.UploadTool.UploadTool.RunAsync(args, stdout, stderr, name => environment?.GetValueOrDefault(name));
        return new Run(code, stdout.ToString(), stderr.ToString());
    }
}
