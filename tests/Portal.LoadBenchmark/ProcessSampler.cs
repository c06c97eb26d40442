using System.Diagnostics;

namespace Portal.LoadBenchmark;

/// <summary>
/// The process at one moment of a run: its working set, the managed heap (garbage not yet collected included), the CPU
/// time it has used so far, and the thread pool's threads and queued work items.
/// </summary>
internal sealed record ProcessSample(TimeSpan At, long WorkingSet, long ManagedHeap, TimeSpan CpuTime, int PoolThreads, long QueuedWorkItems);

/// <summary>
/// Samples the process at a fixed interval on a thread of its own, so a busy thread pool does not thin the samples out.
/// Its clock is the run's clock.
/// </summary>
internal sealed class ProcessSampler : IDisposable
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly List<ProcessSample> _samples = [];
    private readonly TimeSpan _interval;
    private readonly Thread _thread;
    private volatile bool _stopping;

    public ProcessSampler(TimeSpan interval)
    {
        _interval = interval;
        _thread = new Thread(Sample) { IsBackground = true, Name = "Process sampler" };
        _thread.Start();
    }

    public TimeSpan Elapsed => _clock.Elapsed;

    /// <summary>
    /// The working set once a full, blocking garbage collection has run; <see cref="GCCollectionMode.Aggressive"/> also
    /// gives the memory the collector keeps for later back to the operating system.
    /// </summary>
    public static long WorkingSetAfterFullCollection(GCCollectionMode mode = GCCollectionMode.Forced)
    {
        GC.Collect(GC.MaxGeneration, mode, blocking: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, mode, blocking: true);
        return Environment.WorkingSet;
    }

    /// <summary>CPU time this process has used, all threads together.</summary>
    public static TimeSpan CpuTime()
    {
        using var process = Process.GetCurrentProcess();
        return process.TotalProcessorTime;
    }

    /// <summary>Stops sampling; the samples taken, in order.</summary>
    public IReadOnlyList<ProcessSample> Stop()
    {
        _stopping = true;
        _thread.Join();
        return _samples;
    }

    public void Dispose() => Stop();

    private void Sample()
    {
        var next = TimeSpan.Zero;
        while (!_stopping)
        {
            _samples.Add(new ProcessSample(_clock.Elapsed, Environment.WorkingSet, GC.GetTotalMemory(forceFullCollection: false), CpuTime(),
                ThreadPool.ThreadCount, ThreadPool.PendingWorkItemCount));
            next += _interval;
            var wait = next - _clock.Elapsed;
            if (wait > TimeSpan.Zero)
            {
                Thread.Sleep(wait);
            }
            else
            {
                // Late (the machine is saturated): the next sample is an interval from now, not a burst to catch up.
                next = _clock.Elapsed;
            }
        }
    }
}
