using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Portal.Audit;
using Portal.Auth;
using Portal.DevStack;
using Portal.Tests.TestHost;
using Portal.Uploads;

namespace Portal.LoadBenchmark;

/// <summary>How one upload of the load went, on the run's clock; <paramref name="Error"/> when it stopped short of settling.</summary>
internal sealed record UploadOutcome(string User, Receipt? Receipt, TimeSpan? ReceiptAt, TimeSpan? SettledAt, UploadEntry? Entry, string? Error);

/// <summary>The figures the targets are judged on.</summary>
internal sealed record TargetFigures(long IdleWorkingSet, long PeakWorkingSet, long WorkingSetAfter, double AuditP95Ms, bool ExactlyOnce, int Uploads);

internal static class LoadRun
{
    private const string AuditPage = "/audit";
    private const string UploadPage = "/upload";

    /// <summary>Each package's accounts are its own: a range far wider than the ~8 million lines of 100 MB.</summary>
    private const long AccountsPerPackage = 1_000_000_000;

    private const double PeakTargetMb = 600;
    private const double AfterTargetMb = 100;
    private const double AuditP95TargetMs = 500;
    private const double RatioTarget = 1.5;

    /// <summary>1 Gbit/s in bytes per second.</summary>
    private const double GigabitPerSecond = 1e9 / 8;

    private static readonly TimeSpan SampleInterval = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan TimelineStep = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan SettleTimeout = TimeSpan.FromMinutes(10);

    public static async Task<int> RunAsync(LoadOptions options)
    {
        Report.Line($"Portal load benchmark: {options.Uploaders} uploaders × {Report.Megabytes(options.PackageBytes):F0} MB at once, audit load {options.AuditRate} requests/s, {options.After.TotalSeconds:F0} s after");
        Report.Line($"{Environment.ProcessorCount} cores, {(GCSettings.IsServerGC ? "server" : "workstation")} GC, .NET {Environment.Version}; MB = 2^20 bytes; {Report.MachineLoad()}");
        var started = Stopwatch.StartNew();
        var factory = new PortalFactory(
            new Dictionary<string, string?>
            {
                ["DevStack:IdentityProvider:ExtraUploaders"] = options.Uploaders.ToString(CultureInfo.InvariantCulture),
                // What goes wrong, and nothing else: the benchmark prints its own figures.
                ["Logging:LogLevel:Default"] = "Warning",
            },
            configureWebHost: host => host.ConfigureServices(services => services.AddSingleton<IStartupFilter, SinkEndpoint>()));
        var dataDirectory = factory.DataDirectory;
        var users = new List<SignedInUser>();
        try
        {
            var auditor = await SignedInUser.SignInAsync(factory, "aaron", AuditPage);
            users.Add(auditor);
            for (var n = 1; n <= options.Uploaders; n++)
            {
                users.Add(await SignedInUser.SignInAsync(factory, $"uploader{n}", UploadPage));
            }

            var uploaders = users.Skip(1).ToList();
            Report.Line($"Portal at {factory.Origin} started, {users.Count} users signed in through the identity provider: {started.Elapsed.TotalSeconds:F1} s");
            var idle = ProcessSampler.WorkingSetAfterFullCollection();
            Report.Line($"Idle working set (after start-up and sign-ins, after a full GC): {Report.Megabytes(idle):F0} MB");

            var load = await LoadAsync(factory, auditor, uploaders, idle, options);
            // On loopback the bytes arrive as fast as two cores can make and take them, so the comparison measures CPU; over a
            // 1 Gbit/s link (faster than an office uplink) it measures what the target is about: a report right after the last byte.
            var loopback = await CompareAsync(uploaders[0], options, linkBytesPerSecond: null);
            var link = await CompareAsync(uploaders[0], options, GigabitPerSecond);
            PrintTargets(load, loopback, link, options.After);
            return load.ExactlyOnce ? 0 : 1;
        }
        finally
        {
            users.ForEach(user => user.Dispose());
            factory.Dispose();
            Report.Line($"Data directory {dataDirectory} {(Directory.Exists(dataDirectory) ? "could not be removed entirely" : "removed")}; whole run {started.Elapsed.TotalSeconds:F0} s; {Report.MachineLoad()}.");
        }
    }

    /// <summary>
    /// Every uploader posts a package at once and sends it as soon as its report is back, under the audit load; the
    /// working set is sampled throughout and until <see cref="LoadOptions.After"/> past the last settled send.
    /// </summary>
    private static async Task<TargetFigures> LoadAsync(PortalFactory factory, SignedInUser auditor, IReadOnlyList<SignedInUser> uploaders, long idle,
        LoadOptions options)
    {
        var today = DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var cpuBefore = ProcessSampler.CpuTime();
        using var sampler = new ProcessSampler(SampleInterval);
        var audit = OpenLoopLoad.Start(auditor.Client, [AuditPage, $"{AuditExport.Route}?format=json&from={today}"], options.AuditRate);
        var uploads = await Task.WhenAll(uploaders.Select((uploader, i) =>
            UploadAndSendAsync(factory, uploader, options.PackageBytes, (i + 1) * AccountsPerPackage, sampler)));
        var lastSettled = sampler.Elapsed;
        var requests = await audit.StopAsync();
        if (lastSettled + options.After - sampler.Elapsed is { Ticks: > 0 } rest)
        {
            await Task.Delay(rest);
        }

        var after = Environment.WorkingSet;
        var samples = sampler.Stop();
        var cpu = ProcessSampler.CpuTime() - cpuBefore;
        using var process = Process.GetCurrentProcess();
        var peak = process.PeakWorkingSet64;
        // Not targets: how much of what the working set kept was garbage, or free memory the GC keeps for later.
        var afterCollection = ProcessSampler.WorkingSetAfterFullCollection();
        var afterAggressive = ProcessSampler.WorkingSetAfterFullCollection(GCCollectionMode.Aggressive);

        var recorder = factory.Services.GetRequiredService<TencentSimulatorRecorder>();
        var arrivals = recorder.Received.GroupBy(package => package.Sha256Hex, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(group => group.Key, group => group.Count(), StringComparer.OrdinalIgnoreCase);
        int Arrivals(UploadOutcome upload) => upload.Receipt is { } receipt ? arrivals.GetValueOrDefault(receipt.Sha256) : 0;
        var exactlyOnce = recorder.RequestCount == uploads.Length
            && uploads.All(upload => upload.Entry?.State.Status == UploadStatus.Sent && Arrivals(upload) == 1);

        PrintUploads(uploads, Arrivals, recorder.RequestCount);
        PrintTimeline(samples, uploads, lastSettled, cpu);
        Report.Line($"Highest sample {Report.Megabytes(samples.Max(s => s.WorkingSet)):F0} MB, process peak (PeakWorkingSet64) {Report.Megabytes(peak):F0} MB");
        Report.Line($"{(samples[^1].At - lastSettled).TotalSeconds:F0} s after the last send settled: working set {Report.Megabytes(after):F0} MB; then after a full GC {Report.Megabytes(afterCollection):F0} MB, after an aggressive GC (free memory back to the OS) {Report.Megabytes(afterAggressive):F0} MB");
        var auditP95 = PrintAudit(requests, options.AuditRate);
        return new TargetFigures(idle, peak, after, auditP95, exactlyOnce, uploads.Length);
    }

    private static async Task<UploadOutcome> UploadAndSendAsync(PortalFactory factory, SignedInUser uploader, long length, long firstAccount, ProcessSampler clock)
    {
        Receipt? receipt = null;
        TimeSpan? receiptAt = null;
        try
        {
            receipt = await uploader.UploadAsync($"{uploader.UserName}.txt", length, firstAccount);
            receiptAt = clock.Elapsed;
            var upload = (await factory.Services.GetRequiredService<AuditSearch>().FindAsync(receipt.UploadId)
                ?? throw new InvalidOperationException($"Upload {receipt.UploadId} is not in the audit trail.")).Upload;

            // There is no HTTP API for sending yet: the upload page's own call, as the uploader the identity provider named.
            var user = new PortalUser(upload.UserId, upload.UserName, upload.UserEmail, upload.UserIssuer, IsUploader: true);
            var queued = await factory.Services.GetRequiredService<UploadService>().SendAsync(receipt.UploadId, SendVariant.Original, user);
            if (!queued.Done)
            {
                return new UploadOutcome(uploader.UserName, receipt, receiptAt, null, null, queued.Message);
            }

            var settled = await factory.SettledAsync(receipt.UploadId, SettleTimeout);
            return new UploadOutcome(uploader.UserName, receipt, receiptAt, clock.Elapsed, settled, null);
        }
        catch (Exception exception) when (exception is HttpRequestException or InvalidOperationException or OperationCanceledException or JsonException)
        {
            return new UploadOutcome(uploader.UserName, receipt, receiptAt, null, null, exception.Message);
        }
    }

    /// <summary>Upload to report, and the same bytes to the sink, alternately, after one warm-up of each; the ratio of their medians.</summary>
    private static async Task<double> CompareAsync(SignedInUser uploader, LoadOptions options, double? linkBytesPerSecond)
    {
        var portal = new List<double>();
        var sink = new List<double>();
        var cpuBefore = ProcessSampler.CpuTime();
        var clock = Stopwatch.StartNew();
        for (var round = 0; round <= options.Repeats; round++)
        {
            var upload = await TimeAsync(() => uploader.UploadAsync("compare.txt", options.PackageBytes, 0, linkBytesPerSecond));
            var discard = await TimeAsync(() => uploader.SinkAsync(options.PackageBytes, 0, linkBytesPerSecond));
            if (round > 0)
            {
                portal.Add(upload);
                sink.Add(discard);
            }
        }

        var cpuShare = Report.CpuShare(ProcessSampler.CpuTime() - cpuBefore, clock.Elapsed);
        var ratio = Report.Median(portal) / Report.Median(sink);
        Report.Line();
        Report.Line($"Upload to report vs the same {Report.Megabytes(options.PackageBytes):F0} MB posted to {SinkEndpoint.Path}, {LinkName(linkBytesPerSecond)} (portal otherwise idle; 1 warm-up each, then {options.Repeats} each, alternating; CPU {cpuShare:F0}% of the cores)");
        Report.Line($"  upload to report  s: {string.Join("  ", portal.Select(s => s.ToString("F2", CultureInfo.InvariantCulture)))}   median {Report.Median(portal):F2}");
        Report.Line($"  {SinkEndpoint.Path,-16} s: {string.Join("  ", sink.Select(s => s.ToString("F2", CultureInfo.InvariantCulture)))}   median {Report.Median(sink):F2}");
        Report.Line($"  ratio of medians: {ratio:F2}");
        return ratio;
    }

    private static async Task<double> TimeAsync(Func<Task> action)
    {
        var clock = Stopwatch.StartNew();
        await action();
        return clock.Elapsed.TotalSeconds;
    }

    private static void PrintUploads(IReadOnlyList<UploadOutcome> uploads, Func<UploadOutcome, int> arrivals, int simulatorRequests)
    {
        Report.Line();
        Report.Line($"Uploads (s on the run's clock: all posted at 0; checked = the validator's time, send = the send worker's)");
        Report.Line($"{"user",-12} {"receipt s",9} {"checked s",9} {"sent s",8} {"send s",7}  {"status",-8} {"uploadId",8}  at the simulator");
        foreach (var upload in uploads)
        {
            var state = upload.Entry?.State;
            Report.Line($"{upload.User,-12} {Seconds(upload.ReceiptAt),9} {Seconds(upload.Entry?.Upload.ValidationMs),9} {Seconds(upload.SettledAt),8} {Seconds(state?.SendMs),7}  {state?.Status.Text() ?? "-",-8} {state?.TencentUploadId?.ToString(CultureInfo.InvariantCulture) ?? "-",8}  {arrivals(upload)}×{(upload.Error is { } error ? "  " + error : "")}");
        }

        Report.Line($"The simulator had {simulatorRequests} upload requests");
    }

    /// <summary>Per window: the highest working set and managed heap, the CPU used (100% = every core), the thread pool at its busiest, and the uploads by then.</summary>
    private static void PrintTimeline(IReadOnlyList<ProcessSample> samples, IReadOnlyList<UploadOutcome> uploads, TimeSpan lastSettled, TimeSpan cpu)
    {
        Report.Line();
        Report.Line($"Process every {SampleInterval.TotalMilliseconds:F0} ms ({samples.Count} samples), per {TimelineStep.TotalSeconds:F0} s; CPU {cpu.TotalSeconds:F0} s in {samples[^1].At.TotalSeconds:F0} s = {Report.CpuShare(cpu, samples[^1].At):F0}% of the cores");
        Report.Line($"{"t s",5} {"WS MB",7} {"managed MB",11} {"CPU %",6} {"pool threads",13} {"queued items",13} {"receipts",9} {"sent",5}");
        foreach (var window in samples.GroupBy(sample => (int)(sample.At / TimelineStep)).Select(window => window.ToList()))
        {
            var end = window[^1].At;
            Report.Line($"{window[0].At.TotalSeconds,5:F0} {Report.Megabytes(window.Max(s => s.WorkingSet)),7:F0} {Report.Megabytes(window.Max(s => s.ManagedHeap)),11:F0} {Report.CpuShare(window[^1].CpuTime - window[0].CpuTime, end - window[0].At),6:F0} {window.Max(s => s.PoolThreads),13} {window.Max(s => s.QueuedWorkItems),13} {uploads.Count(u => u.ReceiptAt <= end),9} {uploads.Count(u => u.SettledAt <= end),5}");
        }

        Report.Line($"Last send settled at {lastSettled.TotalSeconds:F1} s");
    }

    /// <returns>The 95th percentile latency in ms.</returns>
    private static double PrintAudit(IReadOnlyList<TimedRequest> requests, double rate)
    {
        Report.Line();
        Report.Line($"Audit load as aaron (open loop, {rate} requests/s until the last send settled; latency from when each request was due)");
        Report.Line($"{"",-22} {"requests",8} {"errors",6} {"p50 ms",7} {"p95 ms",7} {"max ms",7}");
        var p95 = Print("all", requests);
        foreach (var route in requests.GroupBy(request => request.Path.Split('?')[0]))
        {
            Print("GET " + route.Key, [.. route]);
        }

        foreach (var error in requests.Where(request => request.Error is not null).GroupBy(request => request.Error).Take(5))
        {
            Report.Line($"  {error.Count()}× {error.Key}");
        }

        return p95;

        static double Print(string name, IReadOnlyList<TimedRequest> requests)
        {
            var sorted = requests.Select(request => request.Latency.TotalMilliseconds).Order().ToList();
            var p95 = Report.Percentile(sorted, 0.95);
            Report.Line($"{name,-22} {requests.Count,8} {requests.Count(request => request.Error is not null),6} {Report.Percentile(sorted, 0.5),7:F0} {p95,7:F0} {(sorted.Count == 0 ? double.NaN : sorted[^1]),7:F0}");
            return p95;
        }
    }

    private static string LinkName(double? linkBytesPerSecond) => linkBytesPerSecond is null ? "at loopback speed" : $"over a {linkBytesPerSecond * 8 / 1e9:0.#} Gbit/s link";

    private static void PrintTargets(TargetFigures figures, double loopback, double link, TimeSpan after)
    {
        var afterDelta = Report.Megabytes(figures.WorkingSetAfter - figures.IdleWorkingSet);
        Report.Line();
        Report.Line($"{"Target",-34} {"figure",-22} {"target",-26} verdict");
        Target("peak working set", $"{Report.Megabytes(figures.PeakWorkingSet):F0} MB", $"≤ {PeakTargetMb} MB", Report.Megabytes(figures.PeakWorkingSet) <= PeakTargetMb);
        Target($"working set {after.TotalSeconds:F0} s after, vs idle", $"{afterDelta:+0;-0} MB ({Report.Megabytes(figures.WorkingSetAfter):F0} MB)", $"within {AfterTargetMb} MB of idle", Math.Abs(afterDelta) <= AfterTargetMb);
        Target("audit p95 latency", $"{figures.AuditP95Ms:F0} ms", $"≤ {AuditP95TargetMs} ms", figures.AuditP95Ms <= AuditP95TargetMs);
        Target("sent exactly once", figures.ExactlyOnce ? $"all {figures.Uploads}" : "NO (see the uploads)", $"all {figures.Uploads}, {figures.Uploads} requests", figures.ExactlyOnce);
        Target("upload to report / sink, 1 Gbit/s", $"{link:F2}", $"≤ {RatioTarget}", link <= RatioTarget);
        Target("upload to report / sink, loopback", $"{loopback:F2}", $"≤ {RatioTarget}", loopback <= RatioTarget);

        static void Target(string name, string figure, string target, bool met) =>
            Report.Line($"{name,-34} {figure,-22} {target,-26} {Report.Verdict(met)}");
    }

    private static string Seconds(TimeSpan? time) => time is { } t ? t.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture) : "-";

    private static string Seconds(long? milliseconds) => Seconds(milliseconds is { } ms ? TimeSpan.FromMilliseconds(ms) : null);
}
