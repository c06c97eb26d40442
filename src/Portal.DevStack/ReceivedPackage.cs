namespace Portal.DevStack;

/// <summary>A package the Tencent Push simulator accepted.</summary>
/// <param name="UploadId">The id returned to the caller (1, 2, 3, … per process).</param>
/// <param name="AccessId">The app that uploaded it (from Basic auth).</param>
/// <param name="FileName">The file name from the part's Content-Disposition (<c>filename*</c> preferred), without directories.</param>
/// <param name="Size">Bytes received.</param>
/// <param name="Sha256Hex">SHA-256 of the bytes received, lower-case hex.</param>
/// <param name="RowCount">
/// Lines in the file: every line feed ends a row, and a last line without one counts too. For a .zip, the lines of the
/// single .txt/.csv it contains.
/// </param>
/// <param name="ReceivedAt">When the upload finished (UTC).</param>
public sealed record ReceivedPackage(
    long UploadId,
    string AccessId,
    string FileName,
    long Size,
    string Sha256Hex,
    long RowCount,
    DateTimeOffset ReceivedAt);
