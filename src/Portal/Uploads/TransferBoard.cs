using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace Portal.Uploads;

/// <summary>Where a transfer from the browser is on the server.</summary>
public enum TransferPhase
{
    /// <summary>Bytes are arriving; checking has not started (no checker free yet) or runs alongside.</summary>
    Receiving,

    /// <summary>Every byte arrived; the rows are still being checked (a zip is checked once it is whole).</summary>
    Checking,
}

/// <summary>What the upload page shows of its transfer, read from the server's side.</summary>
/// <param name="Phase">Whether bytes are still arriving.</param>
/// <param name="BytesReceived">Bytes on disk so far.</param>
/// <param name="QueuePosition">While waiting for a free checker: 1 for the next to start; null when checking or not waiting.</param>
/// <param name="BytesChecked">Bytes of content the validator has read (for a zip: unpacked bytes of its data file).</param>
/// <param name="BytesToCheck">What the validator expects to read: the body's declared length, or a zip's declared unpacked size; null when unknown.</param>
public sealed record TransferStatus(TransferPhase Phase, long BytesReceived, int? QueuePosition, long BytesChecked, long? BytesToCheck)
{
    public double? CheckedFraction => BytesToCheck is > 0 and var total ? Math.Min(1, (double)BytesChecked / total) : null;
}

/// <summary>
/// The transfers this portal instance is receiving, by the id the page gave them, so the page (on the same instance, by
/// session affinity) can show what the server is doing with its bytes; and the per-user limit on transfers at once.
/// </summary>
public sealed class TransferBoard(IOptions<UploadOptions> options)
{
    private readonly ConcurrentDictionary<Guid, Transfer> _transfers = new();

    /// <summary>Registers a transfer; null when the user already has <see cref="UploadOptions.MaxTransfersPerUser"/> under way.</summary>
    public Transfer? Begin(Guid id, string userId)
    {
        lock (_transfers)
        {
            if (_transfers.Values.Count(transfer => transfer.UserId == userId) >= options.Value.MaxTransfersPerUser)
            {
                return null;
            }

            var transfer = new Transfer(id, userId, () => _transfers.TryRemove(id, out _));
            return _transfers.TryAdd(id, transfer) ? transfer : null;
        }
    }

    /// <summary>The user's transfer as the server sees it; null when there is none (not begun yet, or over).</summary>
    public TransferStatus? Find(Guid id, string userId) =>
        _transfers.TryGetValue(id, out var transfer) && transfer.UserId == userId ? transfer.Status : null;

    /// <summary>The page says its user pressed Cancel, just before the browser aborts the request: the trail records it as theirs.</summary>
    public void MarkCancelled(Guid id, string userId)
    {
        if (_transfers.TryGetValue(id, out var transfer) && transfer.UserId == userId)
        {
            transfer.CancelledByUser = true;
        }
    }
}

/// <summary>One transfer under way: counters written by the receiving and validating threads, read by the page.</summary>
public sealed class Transfer(Guid id, string userId, Action end) : IDisposable
{
    private long _received;
    private long _checked;
    private long _toCheck = -1;
    private int _queuePosition;
    private volatile bool _complete;

    public Guid Id { get; } = id;

    public string UserId { get; } = userId;

    public bool CancelledByUser { get; internal set; }

    public long BytesReceived
    {
        get => Interlocked.Read(ref _received);
        set => Interlocked.Exchange(ref _received, value);
    }

    public long BytesChecked
    {
        get => Interlocked.Read(ref _checked);
        set => Interlocked.Exchange(ref _checked, value);
    }

    /// <summary>What the validator expects to read, when known.</summary>
    public long? BytesToCheck
    {
        get => Interlocked.Read(ref _toCheck) is >= 0 and var value ? value : null;
        set => Interlocked.Exchange(ref _toCheck, value ?? -1);
    }

    /// <summary>0 when not waiting for a checker.</summary>
    public int QueuePosition
    {
        get => Volatile.Read(ref _queuePosition);
        set => Volatile.Write(ref _queuePosition, value);
    }

    /// <summary>Every byte has arrived.</summary>
    public bool Complete
    {
        get => _complete;
        set => _complete = value;
    }

    public TransferStatus Status => new(Complete ? TransferPhase.Checking : TransferPhase.Receiving, BytesReceived,
        QueuePosition > 0 ? QueuePosition : null, BytesChecked, BytesToCheck);

    public void Dispose() => end();
}
