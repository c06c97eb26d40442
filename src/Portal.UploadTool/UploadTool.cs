using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Portal.Api;
using Portal.Packages;

namespace Portal.UploadTool;

/// <summary>
/// <c>portal-upload check | send | status</c>. Results go to stdout (the report for <c>check</c>, Tencent's uploadId for
/// <c>send --wait</c>, or JSON with <c>--json</c>); progress and messages to stderr; the exit code is one of <see cref="ExitCodes"/>.
/// </summary>
public static class UploadTool
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, Func<string, string?> environment, HttpMessageHandler? handler = null)
    {
        var file = new Argument<FileInfo>("FILE") { Description = "The package: a .txt, .csv or .zip of accounts or tokens" };
        var kind = new Option<string>("--kind") { Description = "accounts (default) or tokens", DefaultValueFactory = _ => "accounts" };
        kind.AcceptOnlyFromAmong("accounts", "tokens", "account", "token");
        var header = new Option<bool>("--header") { Description = "Row 1 names the column: leave it out" };
        var json = new Option<bool>("--json") { Description = "Print the whole answer as JSON on stdout" };

        var check = new Command("check", "Check a package offline against Tencent's rules, with the portal's own validator") { file, kind, header, json };
        check.SetAction(parsed => Guard(stderr, () => Task.FromResult(Check(parsed.GetValue(file)!, Kind(parsed.GetValue(kind)), parsed.GetValue(header), parsed.GetValue(json), stdout))));

        var app = new Option<string>("--app") { Description = "The Tencent app, as the portal names it", Required = true };
        var package = new Option<string>("--package") { Description = "original (default: only when it has no problem) or clean (the valid, unique rows)", DefaultValueFactory = _ => "original" };
        package.AcceptOnlyFromAmong(SendBody.Original, SendBody.Clean);
        var wait = new Option<bool>("--wait") { Description = "Wait until Tencent answers and print its uploadId" };
        var send = new Command("send", "Upload a package to the portal, check it there, send it to Tencent") { file, app, kind, header, package, wait, json };
        send.SetAction((parsed, token) => Guard(stderr, () => SendAsync(
            parsed.GetValue(file)!, parsed.GetValue(app)!, Kind(parsed.GetValue(kind)), parsed.GetValue(header), parsed.GetValue(package)!,
            parsed.GetValue(wait), parsed.GetValue(json), Connect(environment, handler), stdout, stderr, token)));

        var id = new Argument<Guid>("ID") { Description = "The portal's id of the upload (printed by send)" };
        var status = new Command("status", "Show an upload: its state, report summary and Tencent's uploadId once sent") { id, json };
        status.SetAction((parsed, token) => Guard(stderr, () => StatusAsync(parsed.GetValue(id), parsed.GetValue(json), Connect(environment, handler), stdout, token)));

        var root = new RootCommand("Check account packages and send them to Tencent Push through the account package portal.\n"
            + "Environment: PORTAL_URL, PORTAL_CLIENT_ID, PORTAL_CLIENT_SECRET, PORTAL_AUTHORITY (default PORTAL_URL), PORTAL_SCOPE (optional).")
        {
            check, send, status,
        };
        return await root.Parse(args).InvokeAsync(new InvocationConfiguration { Output = stdout, Error = stderr });
    }

    private static int Check(FileInfo file, PackageKind kind, bool header, bool json, TextWriter stdout)
    {
        if (!file.Exists)
        {
            throw new ToolFailure(ExitCodes.Usage, $"There is no file '{file.FullName}'.");
        }

        var workspace = Directory.CreateTempSubdirectory("portal-upload-");
        try
        {
            var report = PackageValidator.Validate(new ValidationRequest(file.Name, kind, header), file.FullName,
                new ValidationOutputs(Path.Combine(workspace.FullName, "clean"), Path.Combine(workspace.FullName, "problems.csv")));
            if (json)
            {
                stdout.WriteLine(JsonSerializer.Serialize(report, PortalClient.Json));
            }
            else
            {
                WriteReport(report, stdout);
            }

            return report.OriginalSendable ? ExitCodes.Sent : ExitCodes.FileHasProblems;
        }
        finally
        {
            workspace.Delete(recursive: true);
        }
    }

    private static async Task<int> SendAsync(FileInfo file, string app, PackageKind kind, bool header, string package, bool wait, bool json,
        PortalClient portal, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        using var _ = portal;
        if (!file.Exists)
        {
            throw new ToolFailure(ExitCodes.Usage, $"There is no file '{file.FullName}'.");
        }

        await portal.SignInAsync(cancellationToken);
        var bar = new ProgressLine(stderr);
        var created = await portal.UploadAsync(file.FullName, app, kind == PackageKind.Token ? "token" : "account", header,
            new Reporter<long>(sent => bar.Show($"Uploading {Percent(sent, file.Length)} ({Megabytes(sent)} of {Megabytes(file.Length)})", final: sent == file.Length)), cancellationToken);
        bar.Done($"Uploaded {file.Name}: {created.Url}");
        WriteReport(created.Report, stderr);

        var chosen = package == SendBody.Clean && created.Report.CleanPackage is null && created.Report.OriginalSendable ? SendBody.Original : package;
        if (chosen == SendBody.Original && !created.Report.OriginalSendable)
        {
            throw new ToolFailure(ExitCodes.FileHasProblems, created.Report.CleanPackage is null
                ? "The file has problems and no valid row: nothing was sent."
                : "The file has problems Tencent would reject: nothing was sent. Send its clean package with --package clean, or fix the file.");
        }

        if (chosen == SendBody.Clean && created.Report.CleanPackage is null)
        {
            throw new ToolFailure(ExitCodes.FileHasProblems, "There is no clean package: no row of the file is valid. Nothing was sent.");
        }

        await portal.SendAsync(created.Id, chosen, cancellationToken);
        stderr.WriteLine($"Queued the {chosen} package for sending to Tencent.");
        var view = await portal.FindAsync(created.Id, cancellationToken);
        while (wait && view.Status is "queued" or "sending")
        {
            bar.Show(view.Send?.Progress is { } progress
                ? progress.Running ? $"Sending to Tencent {Percent(progress.BytesSent, progress.BytesTotal)}" : $"Waiting to send (place {progress.QueuePosition})"
                : $"Sending to Tencent ({view.Status})");
            await Task.Delay(PollInterval, cancellationToken);
            view = await portal.FindAsync(created.Id, cancellationToken);
        }

        bar.Done($"Status: {view.Status}");
        stdout.WriteLine(json ? JsonSerializer.Serialize(view, PortalClient.Json) : wait ? view.UploadId?.ToString(CultureInfo.InvariantCulture) : view.Id.ToString());
        return !wait || view.Status == "sent" ? ExitCodes.Sent : Refused(view, stderr);
    }

    private static async Task<int> StatusAsync(Guid id, bool json, PortalClient portal, TextWriter stdout, CancellationToken cancellationToken)
    {
        using var _ = portal;
        await portal.SignInAsync(cancellationToken);
        var view = await portal.FindAsync(id, cancellationToken);
        stdout.WriteLine(json ? JsonSerializer.Serialize(view, PortalClient.Json) : string.Join(Environment.NewLine,
            $"{view.FileName} to '{view.App}' by {view.Uploader.Name}: {view.Status} since {view.StatusAt:u}",
            view.Report.Summary,
            view.UploadId is { } uploadId ? $"Tencent uploadId: {uploadId}" : view.Send?.Message ?? ""));
        return ExitCodes.Sent;
    }

    private static int Refused(UploadView view, TextWriter stderr)
    {
        stderr.WriteLine(view.Send is { } send
            ? $"The send ended {view.Status}{(send.RetCode is { } code ? $" (retCode {code})" : "")}: {send.Message}"
            : $"The send ended {view.Status}.");
        return ExitCodes.TencentRefused;
    }

    private static async Task<int> Guard(TextWriter stderr, Func<Task<int>> action)
    {
        try
        {
            return await action();
        }
        catch (ToolFailure failure)
        {
            stderr.WriteLine(failure.Message);
            return failure.ExitCode;
        }
    }

    private static PortalClient Connect(Func<string, string?> environment, HttpMessageHandler? handler)
    {
        var settings = PortalSettings.From(environment);
        var http = handler is null ? new HttpClient() : new HttpClient(handler, disposeHandler: false);
        http.Timeout = Timeout.InfiniteTimeSpan;
        return new PortalClient(http, settings);
    }

    private static PackageKind Kind(string? kind) => kind is "tokens" or "token" ? PackageKind.Token : PackageKind.Account;

    private static void WriteReport(ValidationReport report, TextWriter output)
    {
        output.WriteLine(report.Summary);
        foreach (var problem in report.Problems.Take(20))
        {
            output.WriteLine($"  {problem}");
        }

        if (report.ProblemCount > 20)
        {
            output.WriteLine($"  … and {report.ProblemCount - 20:N0} more");
        }

        foreach (var warning in report.Warnings)
        {
            output.WriteLine($"  warning: {warning.Message}");
        }
    }

    private static string Percent(long done, long total) => total == 0 ? "100%" : $"{done * 100 / total}%";

    private static string Megabytes(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1048576.0:0.0} MB");

    /// <summary>A line on stderr redrawn in place, at most every 200 ms.</summary>
    private sealed class ProgressLine(TextWriter output)
    {
        private long _shownAt = long.MinValue;

        public void Show(string text, bool final = false)
        {
            var now = Environment.TickCount64;
            if (final || now - _shownAt >= 200)
            {
                _shownAt = now;
                output.Write($"\r{text,-70}");
            }
        }

        public void Done(string text) => output.WriteLine($"\r{text,-70}");
    }

    /// <summary>Progress heard on the reporting thread, in order (<see cref="Progress{T}"/> would post it elsewhere, late).</summary>
    private sealed class Reporter<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
