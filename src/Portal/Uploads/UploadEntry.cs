namespace Portal.Uploads;

/// <summary>One upload as lists and pages show it: its facts, its state and, while a send is queued or running, its progress.</summary>
public sealed record UploadEntry(UploadRecord Upload, UploadState State, SendProgress? Send = null);

/// <summary>A queued or running send, as its worker last reported it (at most a second or so behind).</summary>
public sealed record SendProgress
{
    public bool Running { get; init; }
    public int Attempt { get; init; }
    public DateTime QueuedAt { get; init; }

    /// <summary>1 for the next send to start; null once running.</summary>
    public int? QueuePosition { get; init; }

    public long BytesSent { get; init; }
    public long BytesTotal { get; init; }
    public DateTime? StartedAt { get; init; }
    public DateTime? ProgressAt { get; init; }

    /// <summary>Who asked to cancel the running send; it stops at the worker's next report.</summary>
    public string? CancelRequestedBy { get; init; }

    public double Fraction => BytesTotal <= 0 ? 0 : Math.Min(1, (double)BytesSent / BytesTotal);

    /// <summary>The average rate since the send started; null before the first report.</summary>
    public double? BytesPerSecond => StartedAt is { } started && ProgressAt is { } at && at > started && BytesSent > 0
        ? BytesSent / (at - started).TotalSeconds
        : null;

    /// <summary>At the average rate so far; null while unknown.</summary>
    public TimeSpan? TimeLeft => BytesPerSecond is { } rate ? TimeSpan.FromSeconds((BytesTotal - BytesSent) / rate) : null;
}
