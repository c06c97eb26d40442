namespace Portal.Uploads;

/// <summary>Configuration section <c>Uploads</c>: how many transfers, validations and sends run at once, and how sends are leased.</summary>
public sealed class UploadOptions
{
    public const string SectionName = "Uploads";

    /// <summary>Sends to Tencent this portal instance runs at once; the rest wait in the queue.</summary>
    public int MaxConcurrentSends { get; set; } = 2;

    /// <summary>Packages validated at once (each holds up to a few hundred MB while it runs); the rest wait their turn.</summary>
    public int MaxConcurrentValidations { get; set; } = 2;

    /// <summary>Transfers from the browser one user may have under way at once.</summary>
    public int MaxTransfersPerUser { get; set; } = 2;

    /// <summary>
    /// How long a worker's claim on a send lasts without a report. A worker reports every <see cref="ProgressInterval"/>;
    /// when a lease runs out, the worker is taken to be gone and the send is recorded as interrupted.
    /// </summary>
    public TimeSpan SendLease { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often a running send reports its progress (and renews its lease).</summary>
    public TimeSpan ProgressInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How often the worker looks for sends queued elsewhere (another replica, before a restart) and for lapsed leases.</summary>
    public TimeSpan QueuePollInterval { get; set; } = TimeSpan.FromSeconds(2);
}
