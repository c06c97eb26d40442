using Portal.Packages;

namespace Portal.Uploads;

/// <summary>What the upload endpoint answers once a package is staged and validated.</summary>
public sealed record UploadReceipt(Guid UploadId, string FileName, long Size, string Sha256, ValidationReport Report)
{
    /// <summary>Something can be sent: the original as it is, or the clean package.</summary>
    public bool Sendable => Report.OriginalSendable || Report.CleanPackage is not null;
}
