using Portal.Auth;

namespace Portal.Uploads;

/// <summary>
/// Who may do what with an upload, decided here and nowhere else: uploaders work with their own uploads while they hold
/// the Uploader role; auditors see every upload, may retry or cancel any send and download what was sent.
/// </summary>
public static class UploadAccess
{
    public static bool CanUpload(PortalUser user) => user?.IsUploader == true;

    /// <summary>Another user's upload is answered exactly like a missing one: ids reveal nothing.</summary>
    public static bool CanSee(PortalUser user, UploadRecord upload) => user?.IsAuditor == true || IsOwnUpload(user, upload);

    /// <summary>The first send is the uploader's own decision.</summary>
    public static bool CanSend(PortalUser user, UploadRecord upload) => IsOwnUpload(user, upload);

    public static bool CanRetryOrCancel(PortalUser user, UploadRecord upload) => user?.IsAuditor == true || IsOwnUpload(user, upload);

    public static bool CanDownloadSentFile(PortalUser user) => user?.IsAuditor == true;

    private static bool IsOwnUpload(PortalUser? user, UploadRecord upload) =>
        user is { IsUploader: true } && string.Equals(upload?.UserId, user.Id, StringComparison.Ordinal);
}
