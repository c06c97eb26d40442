using Portal.Auth;

namespace Portal.Audit;

/// <summary>
/// "Verify integrity" as a job: one verification at a time runs in the background, its progress readable by any page,
/// its result recorded in the trail (with the chain head it saw) when it ends. At millions of events it takes minutes,
/// which no page request should wait for.
/// </summary>
public sealed partial class IntegrityCheck(AuditIntegrity integrity, AuditTrail trail, TimeProvider clock, ILogger<IntegrityCheck> logger)
{
    private readonly Lock _lock = new();
    private Run? _current;

    /// <summary>The running or last verification since the portal started; null when none ran.</summary>
    public Run? Current
    {
        get
        {
            lock (_lock)
            {
                return _current;
            }
        }
    }

    /// <summary>Starts a verification for <paramref name="user"/>, or returns the one already running.</summary>
    public Run Start(PortalUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        lock (_lock)
        {
            if (_current is { Report: null })
            {
                return _current;
            }

            var run = new Run(user.Name, clock.GetUtcNow().UtcDateTime);
            _current = run;
            run.Completion = Task.Run(() => VerifyAsync(run, user));
            return run;
        }
    }

    private async Task VerifyAsync(Run run, PortalUser user)
    {
        IntegrityReport report;
        try
        {
            report = await integrity.VerifyAsync(new Progress(run));
        }
        catch (Exception exception)
        {
            LogFailed(logger, exception);
            report = new IntegrityReport(false, run.Progress?.EventsChecked ?? 0, 0, $"the verification could not finish: {exception.Message}", null, null);
        }

        await trail.AppendAsync(user.Actor, new IntegrityVerified(report.Intact, report.EventsChecked, report.FirstProblem, report.LastSeq, report.LastChain));
        run.Finish(report, clock.GetUtcNow().UtcDateTime);
        run.Changed();
    }

    /// <summary>One verification: who started it, how far it got, and its report once done.</summary>
    public sealed class Run(string startedBy, DateTime startedAt)
    {
        public string StartedBy { get; } = startedBy;

        public DateTime StartedAt { get; } = startedAt;

        public DateTime? FinishedAt { get; private set; }

        public IntegrityProgress? Progress { get; internal set; }

        public IntegrityReport? Report { get; private set; }

        public Task Completion { get; internal set; } = Task.CompletedTask;

        /// <summary>Raised (on the verifying thread) at each progress step and at the end.</summary>
        public event Action? Updated;

        internal void Finish(IntegrityReport report, DateTime at) => (Report, FinishedAt) = (report, at);

        internal void Changed() => Updated?.Invoke();
    }

    private sealed class Progress(Run run) : IProgress<IntegrityProgress>
    {
        public void Report(IntegrityProgress value)
        {
            run.Progress = value;
            run.Changed();
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Verifying the audit trail failed")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
