namespace Portal.Uploads;

/// <summary>Where an upload is in its life; stored as the lower-case name (<see cref="UploadLifecycle.Text"/>).</summary>
public enum UploadStatus
{
    Received,
    Validated,
    Rejected,
    Queued,
    Sending,
    Sent,
    Failed,
    Cancelled,
    Interrupted,
}

/// <summary>
/// The state machine of an upload: received → validated | rejected; validated | rejected → validated | rejected
/// (rechecked); validated → queued (confirmed); queued → sending |
/// cancelled; sending → sent | failed | interrupted | cancelled; failed | interrupted | cancelled → queued (retried).
/// Every upload event is checked against it in the same transaction that records it.
/// </summary>
public static class UploadLifecycle
{
    /// <summary>The status <paramref name="e"/> moves an upload to from <paramref name="from"/> (null: not recorded yet); null when it cannot happen then.</summary>
    public static UploadStatus? Next(UploadStatus? from, UploadEvent e) => (from, e) switch
    {
        (null, UploadReceived) => UploadStatus.Received,
        (UploadStatus.Received, UploadValidated) => UploadStatus.Validated,
        (UploadStatus.Received, UploadRejected) => UploadStatus.Rejected,
        (UploadStatus.Validated or UploadStatus.Rejected, UploadRechecked rechecked) => rechecked.Accepted ? UploadStatus.Validated : UploadStatus.Rejected,
        (UploadStatus.Validated, SendConfirmed) => UploadStatus.Queued,
        (UploadStatus.Failed or UploadStatus.Interrupted or UploadStatus.Cancelled, SendRetried) => UploadStatus.Queued,
        (UploadStatus.Queued, SendStarted) => UploadStatus.Sending,
        (UploadStatus.Queued or UploadStatus.Sending, SendCancelled) => UploadStatus.Cancelled,
        (UploadStatus.Sending, SendSucceeded) => UploadStatus.Sent,
        (UploadStatus.Sending, SendFailed) => UploadStatus.Failed,
        (UploadStatus.Sending, SendInterrupted) => UploadStatus.Interrupted,
        // A file waiting to be sent or being sent is never purged.
        (not null and not (UploadStatus.Queued or UploadStatus.Sending), StagedFilePurged) => from,
        _ => null,
    };

    /// <summary>No send was ever asked for: the staged file may still be checked again with other choices.</summary>
    public static bool CanRecheck(UploadStatus status) => status is UploadStatus.Validated or UploadStatus.Rejected;

    /// <summary>Statuses from which a send may be asked for again.</summary>
    public static bool CanRetry(UploadStatus status) => status is UploadStatus.Failed or UploadStatus.Interrupted or UploadStatus.Cancelled;

    /// <summary>A send is waiting or under way: it can be cancelled, and pages follow it live.</summary>
    public static bool IsActive(UploadStatus status) => status is UploadStatus.Queued or UploadStatus.Sending;

    public static string Text(this UploadStatus status) => status.ToString().ToLowerInvariant();

    public static UploadStatus Parse(string text) => Enum.Parse<UploadStatus>(text, ignoreCase: true);
}
