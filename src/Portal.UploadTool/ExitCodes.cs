namespace Portal.UploadTool;

/// <summary>What <c>portal-upload</c> ends with; the README lists the same.</summary>
public static class ExitCodes
{
    /// <summary>Sent (with <c>--wait</c>: Tencent's uploadId is on stdout), queued for sending (without), or <c>check</c>: the original can be sent as it is.</summary>
    public const int Sent = 0;

    /// <summary>Bad arguments, a file that cannot be read, an upload that does not exist.</summary>
    public const int Usage = 1;

    /// <summary>The file has problems and no clean package was allowed (or there is none).</summary>
    public const int FileHasProblems = 2;

    /// <summary>The send did not succeed: Tencent refused it, or it failed, was cancelled or was interrupted.</summary>
    public const int TencentRefused = 3;

    /// <summary>No token (wrong client id or secret, unknown authority) or the service account may not do this.</summary>
    public const int SignInFailed = 4;

    /// <summary>The portal or the identity provider could not be reached, or answered with a server error.</summary>
    public const int Unreachable = 5;
}
