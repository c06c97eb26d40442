using Portal.Packages;

namespace Portal.Uploads;

/// <summary>What the upload endpoint answers once a package is staged and validated.</summary>
public sealed record UploadReceipt(
    Guid UploadId,
    string FileName,
    long Size,
    string Sha256,
    bool Accepted,
    long RowCount,
    long ProblemCount,
    IReadOnlyList<PackageProblem> Problems,
    IReadOnlyList<string> Preview);
