using Portal.Uploads;

namespace Portal.Api;

/// <summary>The API's URLs, and the domain's uploads as the API shows them.</summary>
public static class ApiRoutes
{
    public const string Prefix = "/api/v1";

    public static string Upload(Guid id) => $"{Prefix}/uploads/{id:D}";

    public static UploadView View(UploadEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        // The packages as the latest check found them (a re-check on the page replaces the first verdict).
        var (upload, state, progress) = (entry.State.Checked(entry.Upload), entry.State, entry.Send);
        return new UploadView(
            upload.Id,
            Upload(upload.Id),
            upload.FileName,
            upload.TencentApp,
            upload.PackageKind.ToLowerInvariant(),
            upload.FileSize,
            upload.Sha256,
            upload.ReceivedAt,
            new ActorView(upload.UserId, upload.UserName),
            state.Status.Text(),
            state.StatusAt,
            state.TencentUploadId,
            new ReportSummary(upload.ValidationSummary, upload.RowCount, upload.ValidCount, upload.InvalidCount, upload.DuplicateCount,
                upload.BlankRowCount, upload.OriginalSendable,
                upload is { CleanFileName: { } clean, CleanSize: { } size, CleanSha256: { } sha }
                    ? new CleanPackageView(clean, size, sha, upload.CleanAccountCount ?? 0)
                    : null),
            state.SentVariant is { } package
                ? new SendView(package, state.Attempts, state.RetCode, state.HttpStatus, state.Message, state.MayHaveArrived, progress is null ? null : View(progress))
                : null);
    }

    private static SendProgressView View(SendProgress progress) => new(
        progress.Running, progress.QueuePosition, progress.BytesSent, progress.BytesTotal, progress.Fraction, progress.BytesPerSecond,
        progress.TimeLeft?.TotalSeconds, progress.CancelRequestedBy);
}
