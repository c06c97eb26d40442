using System.Threading.Channels;
using Portal.Audit;

namespace Portal.Uploads;

/// <summary>How the rest of this process reaches the send worker at once, rather than at its next poll.</summary>
public sealed class SendSignals
{
    private readonly Channel<bool> _queueChanged = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    public event Action<Guid, AuditActor>? CancelRequested;

    /// <summary>A send was queued or finished: the worker looks for work now.</summary>
    public void QueueChanged() => _queueChanged.Writer.TryWrite(true);

    /// <summary>Someone asked to stop a running send; if this process is sending it, it stops now.</summary>
    public void RequestCancel(Guid uploadId, AuditActor by) => CancelRequested?.Invoke(uploadId, by);

    /// <summary>Waits for <see cref="QueueChanged"/> or <paramref name="timeout"/>, whichever comes first.</summary>
    public async Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        wait.CancelAfter(timeout);
        try
        {
            await _queueChanged.Reader.ReadAsync(wait.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The timeout: time to poll.
        }
    }
}
