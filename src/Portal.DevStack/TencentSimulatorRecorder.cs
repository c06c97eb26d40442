namespace Portal.DevStack;

/// <summary>
/// Remembers what the Tencent Push simulator accepted (a singleton; thread-safe), so tests can assert exactly what arrived.
/// </summary>
public sealed class TencentSimulatorRecorder
{
    private readonly Lock gate = new();
    private readonly List<ReceivedPackage> received = [];
    private long lastUploadId;

    /// <summary>A snapshot of the accepted packages, in the order their uploads completed.</summary>
    public IReadOnlyList<ReceivedPackage> Received
    {
        get
        {
            lock (gate)
            {
                return [.. received];
            }
        }
    }

    internal long NextUploadId() => Interlocked.Increment(ref lastUploadId);

    internal void Record(ReceivedPackage package)
    {
        lock (gate)
        {
            received.Add(package);
        }
    }
}
