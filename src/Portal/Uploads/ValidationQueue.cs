using Microsoft.Extensions.Options;

namespace Portal.Uploads;

/// <summary>
/// Lets at most <see cref="UploadOptions.MaxConcurrentValidations"/> packages be checked at once (each can hold a few
/// hundred MB while it runs); the rest wait in arrival order, and each waiting transfer knows its place in the line.
/// </summary>
public sealed class ValidationQueue(IOptions<UploadOptions> options)
{
    private readonly Lock _lock = new();
    private readonly LinkedList<(Transfer Transfer, TaskCompletionSource Turn)> _waiting = [];
    private int _running;

    /// <summary>Waits for a free checker; dispose the result to free it again.</summary>
    public async Task<IDisposable> EnterAsync(Transfer transfer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transfer);
        LinkedListNode<(Transfer, TaskCompletionSource)> node;
        lock (_lock)
        {
            if (_running < options.Value.MaxConcurrentValidations)
            {
                _running++;
                return new Slot(this);
            }

            node = _waiting.AddLast((transfer, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)));
            Renumber();
        }

        try
        {
            await node.Value.Item2.Task.WaitAsync(cancellationToken);
            return new Slot(this);
        }
        catch (OperationCanceledException)
        {
            lock (_lock)
            {
                if (node.List is not null)
                {
                    _waiting.Remove(node);
                    Renumber();
                    throw;
                }
            }

            // The turn came just as the wait was cancelled: hand it on.
            Leave();
            throw;
        }
        finally
        {
            transfer.QueuePosition = 0;
        }
    }

    private void Leave()
    {
        lock (_lock)
        {
            if (_waiting.First is { } next)
            {
                // The slot passes straight to the next in line; the count of running checks stays.
                _waiting.RemoveFirst();
                Renumber();
                next.Value.Turn.SetResult();
            }
            else
            {
                _running--;
            }
        }
    }

    private void Renumber()
    {
        var position = 1;
        foreach (var (waiting, _) in _waiting)
        {
            waiting.QueuePosition = position++;
        }
    }

    private sealed class Slot(ValidationQueue queue) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                queue.Leave();
            }
        }
    }
}
