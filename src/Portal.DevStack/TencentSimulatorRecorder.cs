namespace Portal.DevStack;

/// <summary>
/// Remembers what the Tencent Push simulator accepted (a singleton; thread-safe), so tests can assert exactly what arrived.
/// </summary>
public sealed class TencentSimulatorRecorder
{
    private readonly Lock gate = new();
    private readonly List<ReceivedPackage> received = [];
    private long lastUploadId;
    private int requestCount;
    private long unpackedBytes;

    /// <summary>
    /// A snapshot of the accepted packages, in the order their uploads completed; a package whose answer a fault garbled
    /// or dropped is here too (it arrived).
    /// </summary>
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

    /// <summary>Upload requests that reached the simulator, answered or not: proves that nothing was sent twice.</summary>
    public int RequestCount => Volatile.Read(ref requestCount);

    /// <summary>
    /// Bytes unpacked from .zip packages, accepted or refused: shows that an archive unpacking to gigabytes (a zip bomb)
    /// was refused after a bounded read.
    /// </summary>
    public long UnpackedBytes => Interlocked.Read(ref unpackedBytes);

    internal void CountRequest() => Interlocked.Increment(ref requestCount);

    internal void CountUnpacked(long bytes) => Interlocked.Add(ref unpackedBytes, bytes);

    internal long NextUploadId() => Interlocked.Increment(ref lastUploadId);

    internal void Record(ReceivedPackage package)
    {
        lock (gate)
        {
            received.Add(package);
        }
    }
}
