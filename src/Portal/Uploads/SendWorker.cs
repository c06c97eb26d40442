using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Options;
using Portal.Audit;
using Portal.Data;
using Portal.Tencent;

namespace Portal.Uploads;

/// <summary>
/// Sends queued packages to Tencent in the background, <see cref="UploadOptions.MaxConcurrentSends"/> at a time, so a
/// send outlives the page that asked for it. A send is claimed with a lease (several workers, even on several replicas,
/// never take the same one) that the worker renews with each progress report; a send whose lease runs out is recorded as
/// interrupted by whichever worker notices. Nothing is ever sent again on its own: only people retry.
/// </summary>
public sealed partial class SendWorker(
    AuditTrail trail,
    UploadStore store,
    AuditSearch search,
    PortalDatabase connections,
    StagingStore staging,
    IServiceScopeFactory scopes,
    TencentRateLimitGate rateLimits,
    IOptions<TencentOptions> tencentOptions,
    IOptions<UploadOptions> options,
    SendSignals signals,
    UploadChanges changes,
    TimeProvider clock,
    IHostApplicationLifetime lifetime,
    ILogger<SendWorker> logger) : BackgroundService
{
    private const string StuckSends = """
        SELECT s.upload_id FROM upload_state s LEFT JOIN send_jobs j ON j.upload_id = s.upload_id
        WHERE s.status = 'sending' AND j.upload_id IS NULL
        """;

    private readonly ConcurrentDictionary<Guid, RunningSend> _running = new();

    /// <summary>This worker's name in leases: machine, process and a random part, unique across replicas and restarts.</summary>
    public string Id { get; } = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid().ToString("N")[..8]}";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Sends stop as soon as the portal begins to stop, not when this service's turn comes: the web server may spend
        // the whole shutdown timeout draining requests, and each send must still have time to record how it ended.
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, lifetime.ApplicationStopping);
        await RunUntilStoppedAsync(stopping.Token);
    }

    private async Task RunUntilStoppedAsync(CancellationToken stoppingToken)
    {
        signals.CancelRequested += CancelLocal;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    await RecoverAsync();
                    while (_running.Count < options.Value.MaxConcurrentSends && await ClaimAsync() is { } claimed)
                    {
                        var running = new RunningSend(claimed, CancellationTokenSource.CreateLinkedTokenSource(stoppingToken));
                        _running[claimed.UploadId] = running;
                        running.Task = Task.Run(() => RunAsync(running), CancellationToken.None);
                    }
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    // The database was busy or gone for a moment: try again at the next poll, never stop sending for good.
                    LogLoopFailed(logger, exception);
                }

                await signals.WaitAsync(options.Value.QueuePollInterval, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: the running sends record how they ended below.
        }
        finally
        {
            signals.CancelRequested -= CancelLocal;
            await Task.WhenAll(_running.Values.Select(running => running.Task));
        }
    }

    /// <summary>Sends whose worker is gone become interrupted: those whose lease ran out, and those left "sending" without a job by an older version.</summary>
    private async Task RecoverAsync()
    {
        var recovered = await trail.WriteAsync(async writer =>
        {
            var ids = new List<Guid>();
            foreach (var (uploadId, bytesSent, owner) in await SendJobs.ExpiredAsync(writer))
            {
                await SendJobs.ReleaseAsync(writer, uploadId, owner);
                var lapsed = Interrupted($"the portal instance that was sending it ({owner}) stopped answering", bytesSent);
                if (await UploadStore.RecordAsync(writer, uploadId, AuditActor.System, lapsed) is not null)
                {
                    ids.Add(uploadId);
                }
            }

            foreach (var uploadId in await Dapper.SqlMapper.QueryAsync<Guid>(writer.Connection, StuckSends, transaction: writer.Transaction))
            {
                var stopped = new SendInterrupted(null, null, null, null,
                    "Interrupted: the portal stopped while sending. The package may or may not have arrived at Tencent.", 0, MayHaveArrived: true);
                if (await UploadStore.RecordAsync(writer, uploadId, AuditActor.System, stopped) is not null)
                {
                    ids.Add(uploadId);
                }
            }

            return ids;
        });
        foreach (var uploadId in recovered)
        {
            LogRecovered(logger, uploadId);
            changes.Notify(uploadId);
        }
    }

    private async Task<ClaimedSend?> ClaimAsync()
    {
        var claimed = await trail.WriteAsync(async writer =>
        {
            var pausedElsewhere = await SendJobs.PausedAppsAsync(writer);
            var paused = tencentOptions.Value.Apps
                .Where(app => rateLimits.BlockedUntil(app) is not null || pausedElsewhere.Contains(TencentRateLimitGate.KeyOf(app)))
                .Select(app => app.Name).ToList();
            var next = await SendJobs.ClaimNextAsync(writer, Id, writer.Now + options.Value.SendLease, paused);
            if (next is not null && await UploadStore.RecordAsync(writer, next.UploadId, AuditActor.System, new SendStarted(next.Attempt, Id)) is null)
            {
                // A job whose upload is not waiting to be sent cannot be sent: drop it rather than take it again and again.
                await SendJobs.ReleaseAsync(writer, next.UploadId, Id);
                return null;
            }

            return next;
        });
        if (claimed is not null)
        {
            changes.Notify(claimed.UploadId);
        }

        return claimed;
    }

    private async Task RunAsync(RunningSend running)
    {
        var job = running.Job;
        var stopwatch = Stopwatch.StartNew();
        TencentUploadResult? result = null;
        try
        {
            var reports = StartReporting(running);
            try
            {
                result = await SendAsync(running);
            }
            catch (OperationCanceledException) when (running.Cancellation.IsCancellationRequested)
            {
                // Cancelled by a person, by a lost lease or by the portal stopping: recorded below.
            }
            finally
            {
                reports.Dispose();
                await running.StopReportingAsync();
            }

            var (actor, outcome) = Outcome(running, result, stopwatch.ElapsedMilliseconds);
            if (outcome is null)
            {
                LogLeaseLost(logger, job.UploadId);
                return;
            }

            // Recorded even when the portal is stopping: the trail must say how the send ended.
            var recorded = await store.WriteAsync(job.UploadId, async writer =>
            {
                if (result?.RetryAfter is { } pausedUntil && tencentOptions.Value.FindApp(job.TencentApp) is { } app)
                {
                    await SendJobs.PauseAppAsync(writer, TencentRateLimitGate.KeyOf(app), pausedUntil);
                }

                return await SendJobs.ReleaseAsync(writer, job.UploadId, Id)
                    && await UploadStore.RecordAsync(writer, job.UploadId, actor, outcome) is not null;
            }, CancellationToken.None);
            LogSendFinished(logger, job.UploadId, job.TencentApp, recorded ? outcome.Kind : "lost its lease", result?.UploadId, result?.RetCode, stopwatch.ElapsedMilliseconds);
        }
        catch (Exception exception)
        {
            // The database failed under the send: the lease lapses and another pass records it as interrupted.
            LogSendCrashed(logger, exception, job.UploadId);
        }
        finally
        {
            _running.TryRemove(job.UploadId, out _);
            running.Cancellation.Dispose();
            signals.QueueChanged();
        }
    }

    private async Task<TencentUploadResult> SendAsync(RunningSend running)
    {
        var job = running.Job;
        var entry = await search.FindAsync(job.UploadId);
        var app = tencentOptions.Value.FindApp(job.TencentApp);
        var package = entry is null ? null : StagedPackage.Of(entry.State.Checked(entry.Upload), job.Variant, staging);
        if (app is null || package is null)
        {
            return NotSent(app is null ? $"The Tencent app '{job.TencentApp}' is no longer configured." : $"This upload has no {job.Variant} package.");
        }

        try
        {
            // A typed client per send: its handler is rotated by the client factory, which a client held for the life of the worker would defeat.
            await using var scope = scopes.CreateAsyncScope();
            var tencent = scope.ServiceProvider.GetRequiredService<TencentPushClient>();
            return await tencent.UploadPackageAsync(app, package.Path, package.FileName, running.Cancellation.Token, bytes => running.BytesSent = bytes);
        }
        catch (IOException exception) when (running.BytesSent == 0)
        {
            return NotSent($"The staged package could not be read ({exception.Message}); upload the file again.");
        }
    }

    /// <summary>Renews the lease with the bytes sent so far, until the send ends; stops it when the lease is lost or someone cancels it.</summary>
    private PeriodicTimer StartReporting(RunningSend running)
    {
        var timer = new PeriodicTimer(options.Value.ProgressInterval, clock);
        running.Reports = Task.Run(async () =>
        {
            while (await timer.WaitForNextTickAsync())
            {
                try
                {
                    await using var connection = await connections.OpenAsync();
                    var now = clock.GetUtcNow().UtcDateTime;
                    var check = await SendJobs.RenewAsync(connection, running.Job.UploadId, Id, now, now + options.Value.SendLease, running.BytesSent);
                    changes.Notify(running.Job.UploadId);
                    if (!check.Held)
                    {
                        running.LeaseLost = true;
                        await running.Cancellation.CancelAsync();
                    }
                    else if (check.CancelRequestedBy is { } by)
                    {
                        running.Cancel(by);
                    }
                }
                catch (Exception exception) when (exception is not ObjectDisposedException)
                {
                    // A missed report only shortens the lease; the next one may get through.
                    LogReportFailed(logger, exception, running.Job.UploadId);
                }
            }
        });
        return timer;
    }

    /// <summary>Who records what: Tencent's answer; a cancel by whoever asked; an interruption when the portal stops; nothing when the lease was lost.</summary>
    private static (AuditActor Actor, UploadEvent? Outcome) Outcome(RunningSend running, TencentUploadResult? result, long durationMs) => result switch
    {
        { Succeeded: true } => (AuditActor.System, new SendSucceeded(result.UploadId, result.RetCode, result.ErrMsg, result.HttpStatus, null, durationMs, false)),
        not null => (AuditActor.System, new SendFailed(result.UploadId, result.RetCode, result.ErrMsg, result.HttpStatus, result.FailureMessage, durationMs,
            result.Delivery == TencentDelivery.MayHaveArrived)),
        null when running.CancelledBy is { } by => (by, new SendCancelled(running.BytesSent, MayHaveArrived: running.BytesSent > 0)),
        null when running.LeaseLost => (AuditActor.System, null),
        null => (AuditActor.System, Interrupted("the portal stopped while sending it", running.BytesSent) with { DurationMs = durationMs }),
    };

    private static SendInterrupted Interrupted(string what, long bytesSent) => new(null, null, null, null, bytesSent > 0
        ? $"Interrupted: {what}, after {bytesSent:N0} bytes had left. The package may or may not have arrived at Tencent."
        : $"Interrupted: {what}, before any byte left. It was certainly not sent: send it again.", 0, MayHaveArrived: bytesSent > 0);

    private static TencentUploadResult NotSent(string message) =>
        TencentUploadResult.Failure(message) with { Delivery = TencentDelivery.NotDelivered, FailureKind = TencentFailureKind.Configuration };

    private void CancelLocal(Guid uploadId, AuditActor by)
    {
        if (_running.TryGetValue(uploadId, out var running))
        {
            running.Cancel(by);
        }
    }

    /// <summary>A send this worker is running, and how it is being stopped if it is.</summary>
    private sealed class RunningSend(ClaimedSend job, CancellationTokenSource cancellation)
    {
        private long _bytesSent;

        public ClaimedSend Job { get; } = job;

        public CancellationTokenSource Cancellation { get; } = cancellation;

        public Task Task { get; set; } = Task.CompletedTask;

        public Task Reports { get; set; } = Task.CompletedTask;

        public long BytesSent
        {
            get => Interlocked.Read(ref _bytesSent);
            set => Interlocked.Exchange(ref _bytesSent, value);
        }

        public AuditActor? CancelledBy { get; private set; }

        public bool LeaseLost { get; set; }

        public void Cancel(AuditActor by)
        {
            CancelledBy ??= by;
            Cancellation.Cancel();
        }

        public async Task StopReportingAsync()
        {
            try
            {
                await Reports;
            }
            catch (OperationCanceledException)
            {
                // The timer was disposed mid-wait.
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Upload {UploadId} to Tencent app {App} ended {Outcome}: uploadId={TencentUploadId} retCode={RetCode} in {Milliseconds} ms")]
    private static partial void LogSendFinished(ILogger logger, Guid uploadId, string app, string outcome, long? tencentUploadId, int? retCode, long milliseconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Upload {UploadId} was being sent by a portal instance that stopped; recorded as interrupted")]
    private static partial void LogRecovered(ILogger logger, Guid uploadId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Upload {UploadId}: this worker lost its lease on the send; another instance records how it ended")]
    private static partial void LogLeaseLost(ILogger logger, Guid uploadId);

    [LoggerMessage(Level = LogLevel.Error, Message = "The send worker could not reach the database; trying again")]
    private static partial void LogLoopFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "The send of upload {UploadId} could not be recorded; its lease will lapse and it will be recorded as interrupted")]
    private static partial void LogSendCrashed(ILogger logger, Exception exception, Guid uploadId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The progress report of upload {UploadId} failed")]
    private static partial void LogReportFailed(ILogger logger, Exception exception, Guid uploadId);
}
