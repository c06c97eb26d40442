namespace Portal.Uploads;

/// <summary>
/// Tells open pages in this process that an upload changed (its state, or its send's progress), so they show it at once.
/// Pages also poll while a send is active, for changes made by another replica.
/// </summary>
public sealed class UploadChanges
{
    public event Action<Guid>? Changed;

    public void Notify(Guid uploadId) => Changed?.Invoke(uploadId);
}
