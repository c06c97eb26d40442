using System.Runtime.ExceptionServices;

namespace Portal.Packages;

/// <summary>
/// Finds duplicate accounts on a thread of its own while the scanner reads on. Accounts go in batches around a small ring:
/// the scanner fills and submits them, this thread looks them up in the <see cref="AccountSet"/>, and the scanner takes
/// the answers back in order (<see cref="Retire"/>), so the clean package and the report see the rows in file order.
/// </summary>
/// <remarks>
/// Looking accounts up is bound by memory latency (a random slot in a table of up to 250 MB), not by computing, so it
/// gets the second core; within a batch, every 64 slots are prefetched before any is probed, so their cache misses overlap.
/// Disposing stops the thread before the table is freed, whichever way the validation ends.
/// </remarks>
internal sealed class DuplicateFinder : IDisposable
{
    private const int RingSize = 4;
    private const int BatchSize = 16 * 1024;
    private const int ProbeGroup = 64;

    private readonly AccountSet _accounts = new();
    private readonly Batch[] _ring = Enumerable.Range(0, RingSize).Select(_ => new Batch()).ToArray();
    private readonly SemaphoreSlim _submitted = new(0);
    private readonly SemaphoreSlim _answered = new(0);
    private readonly Thread _thread;
    private readonly Action<ReadOnlySpan<byte>> _unique;
    private readonly Action<ReadOnlySpan<byte>, long, ulong> _duplicate;
    private long _submittedCount;
    private long _retiredCount;
    private volatile bool _stopping;
    private ulong _touched;
    private Exception? _failure;

    /// <summary>Calls <paramref name="unique"/> for each first occurrence and <paramref name="duplicate"/> (account, line, hash) for each repeat, on the caller's thread.</summary>
    public DuplicateFinder(Action<ReadOnlySpan<byte>> unique, Action<ReadOnlySpan<byte>, long, ulong> duplicate)
    {
        _unique = unique;
        _duplicate = duplicate;
        _thread = new Thread(LookUp) { IsBackground = true, Name = "Package duplicate finder" };
        _thread.Start();
    }

    /// <summary>Distinct accounts so far; exact after <see cref="Drain"/>.</summary>
    public long DistinctCount => _accounts.Count;

    private Batch Filling => _ring[_submittedCount % RingSize];

    public void Add(ReadOnlySpan<byte> account, ulong hash, long line)
    {
        var batch = Filling;
        if (batch.Count == BatchSize || batch.ArenaUsed + account.Length > batch.Arena.Length)
        {
            Submit();
            batch = Filling;
        }

        account.CopyTo(batch.Arena.AsSpan(batch.ArenaUsed));
        batch.Hashes[batch.Count] = hash;
        batch.Lines[batch.Count] = (uint)line;
        batch.Ends[batch.Count] = batch.ArenaUsed += account.Length;
        batch.Count++;
    }

    /// <summary>Waits until every account added so far is answered and handed on.</summary>
    public void Drain()
    {
        if (Filling.Count > 0)
        {
            Submit();
        }

        while (_retiredCount < _submittedCount)
        {
            Retire(wait: true);
        }
    }

    /// <summary>Sizes the table now for about this many accounts; only between <see cref="Drain"/> and the next add.</summary>
    public void Reserve(long expectedCount) => _accounts.Reserve(expectedCount);

    public void Dispose()
    {
        _stopping = true;
        _submitted.Release();
        _thread.Join();
        _accounts.Dispose();
        _submitted.Dispose();
        _answered.Dispose();
    }

    private void Submit()
    {
        _submitted.Release();
        _submittedCount++;

        // Hand on what is answered already; block only when the ring is full.
        while (_retiredCount < _submittedCount && Retire(wait: _submittedCount - _retiredCount == RingSize))
        {
        }
    }

    private bool Retire(bool wait)
    {
        if (!_answered.Wait(wait ? Timeout.Infinite : 0))
        {
            return false;
        }

        if (_failure is { } failure)
        {
            // The lookup thread has stopped; its exception ends the validation here, on the caller's thread.
            ExceptionDispatchInfo.Throw(failure);
        }

        var batch = _ring[_retiredCount % RingSize];
        var start = 0;
        for (var index = 0; index < batch.Count; index++)
        {
            var account = batch.Arena.AsSpan(start, batch.Ends[index] - start);
            start = batch.Ends[index];
            if (batch.Repeats[index])
            {
                _duplicate(account, batch.Lines[index], batch.Hashes[index]);
            }
            else
            {
                _unique(account);
            }
        }

        (batch.Count, batch.ArenaUsed) = (0, 0);
        _retiredCount++;
        return true;
    }

    private void LookUp()
    {
        try
        {
            for (long next = 0; ; next++)
            {
                _submitted.Wait();
                if (_stopping)
                {
                    return;
                }

                LookUp(_ring[next % RingSize]);
                _answered.Release();
            }
        }
        catch (Exception exception)
        {
            // Most likely the table could not grow. Rather than take the process down, hand the failure to the caller.
            _failure = exception;
            _answered.Release();
        }
    }

    private void LookUp(Batch batch)
    {
        for (var group = 0; group < batch.Count; group += ProbeGroup)
        {
            var end = Math.Min(batch.Count, group + ProbeGroup);
            var touched = 0UL;
            for (var index = group; index < end; index++)
            {
                touched += _accounts.Touch(batch.Hashes[index]);
            }

            _touched += touched;
            for (var index = group; index < end; index++)
            {
                batch.Repeats[index] = !_accounts.TryAdd(batch.Hashes[index]);
            }
        }
    }

    private sealed class Batch
    {
        public readonly ulong[] Hashes = new ulong[BatchSize];
        public readonly uint[] Lines = new uint[BatchSize];
        public readonly bool[] Repeats = new bool[BatchSize];
        public readonly int[] Ends = new int[BatchSize];
        public readonly byte[] Arena = new byte[256 * 1024];
        public int Count;
        public int ArenaUsed;
    }
}
