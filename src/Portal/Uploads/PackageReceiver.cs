using System.Diagnostics;
using Portal.Audit;
using Portal.Auth;
using Portal.Packages;
using Portal.Tencent;

namespace Portal.Uploads;

/// <summary>What someone sends to be staged and checked: the file's name, where it is to go, and who sends it from where.</summary>
public sealed record ReceiveRequest(string FileName, TencentAppOptions App, PackageKind Kind, bool HeaderRow, PortalUser User, string? ClientIp, string? UserAgent);

/// <summary>What the upload endpoint answers once a package is staged and validated.</summary>
public sealed record UploadReceipt(Guid UploadId, string FileName, long Size, string Sha256, ValidationReport Report)
{
    /// <summary>Something can be sent: the original as it is, or the clean package.</summary>
    public bool Sendable => Report.OriginalSendable || Report.CleanPackage is not null;
}

/// <summary>
/// Receives a package: stages it (hashing it) while the validator checks it as a second reader of the same staged bytes,
/// once one of <see cref="ValidationQueue"/>'s checkers is free, and records the upload with its verdict. A transfer that
/// breaks off or is too large leaves nothing behind but an event saying so.
/// </summary>
public sealed partial class PackageReceiver(StagingStore staging, ValidationQueue checkers, UploadStore store, AuditTrail trail, TimeProvider clock,
    ILogger<PackageReceiver> logger)
{
    /// <summary>The receipt; null when the body is larger than Tencent accepts. Throws when the body breaks off (after recording it).</summary>
    public async Task<UploadReceipt?> ReceiveAsync(ReceiveRequest request, Stream body, long? declaredLength, Transfer transfer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var write = staging.Begin(Guid.NewGuid());
        write.Progress += written => transfer.BytesReceived = written;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var copy = write.CopyAsync(body, stop.Token);
        var validation = ValidateAsync(request, write, copy, declaredLength, transfer, stop.Token);

        StagedFile? staged;
        try
        {
            staged = await copy;
        }
        catch (BadHttpRequestException exception) when (exception.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            // Kestrel's own cut-off at the endpoint's body limit: answered like staging's, never left to the exception handler.
            staged = null;
        }
        catch (Exception exception) when (exception is IOException or OperationCanceledException)
        {
            await AbandonAsync(request, transfer, stop, validation,
                transfer.CancelledByUser ? "cancelled by the uploader" : $"the transfer broke off ({exception.Message.TrimEnd('.')})");
            throw;
        }

        transfer.Complete = true;
        if (staged is null)
        {
            await AbandonAsync(request, transfer, stop, validation, $"larger than {PackageRules.MaxPackageBytes:N0} bytes, the most Tencent accepts");
            return null;
        }

        var (report, validationMs) = await validation;
        var upload = new UploadRecord
        {
            Id = staged.Id,
            ReceivedAt = clock.GetUtcNow().UtcDateTime,
            UserId = request.User.Id,
            UserName = request.User.Name,
            UserEmail = request.User.Email,
            UserIssuer = request.User.Issuer,
            ClientIp = request.ClientIp,
            UserAgent = request.UserAgent,
            TencentApp = request.App.Name,
            TencentRegion = request.App.Region.ToString(),
            PackageKind = request.Kind.ToString(),
            FileName = request.FileName,
            FileSize = staged.Size,
            Sha256 = staged.Sha256,
            RowCount = report.RowCount,
            ValidCount = report.ValidCount,
            InvalidCount = report.InvalidCount,
            DuplicateCount = report.DuplicateCount,
            OriginalSendable = report.OriginalSendable,
            CleanFileName = report.CleanPackage?.FileName,
            CleanSize = report.CleanPackage?.Size,
            CleanSha256 = report.CleanPackage?.Sha256,
            CleanAccountCount = report.CleanPackage?.AccountCount,
            ValidationSummary = report.Summary,
            ValidationMs = validationMs,
            HeaderRow = request.HeaderRow,
            BlankRowCount = report.BlankRowCount,
        };
        // Recorded even when the browser has gone: the files are staged and the verdict is known. Until then a failure
        // leaves no file behind.
        await store.RecordReceivedAsync(upload, request.User.Actor, CancellationToken.None);
        write.Keep();
        return new UploadReceipt(staged.Id, request.FileName, staged.Size, staged.Sha256, report);
    }

    /// <summary>
    /// Checks the package once a checker is free: plain text as it arrives, reading the staged bytes behind the copy (the
    /// report is ready soon after the last byte); a zip once it has arrived whole (its directory is at its end).
    /// </summary>
    private async Task<(ValidationReport Report, long Milliseconds)> ValidateAsync(ReceiveRequest request, StagingStore.StagingWrite write,
        Task<StagedFile?> copy, long? declaredLength, Transfer transfer, CancellationToken cancellationToken)
    {
        using var checker = await checkers.EnterAsync(transfer, cancellationToken);
        var started = Stopwatch.StartNew();
        var outputs = new ValidationOutputs(staging.CleanPathOf(write.Id), staging.ProblemReportPathOf(write.Id));
        var validation = new ValidationRequest(request.FileName, request.Kind, request.HeaderRow);
        var progress = new CheckProgress(transfer);
        ValidationReport report;
        if (PackageRules.Extension(request.FileName) == ".zip")
        {
            // A body too large to keep is not checked at all.
            var staged = await copy ?? throw new OperationCanceledException("The package is too large to check.");
            report = await RunAsync(() =>
            {
                using var content = new FileStream(staged.Path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0);
                return PackageValidator.Validate(validation, PackageContent.Seekable(content), outputs, progress, cancellationToken);
            }, cancellationToken);
        }
        else
        {
            report = await RunAsync(() =>
            {
                using var arriving = write.OpenRead();
                return PackageValidator.Validate(validation, PackageContent.Arriving(arriving, write.OpenRead, declaredLength), outputs, progress, cancellationToken);
            }, cancellationToken);
        }

        return (report, started.ElapsedMilliseconds);
    }

    /// <summary>The validator reads synchronously (and may wait for bytes still arriving): a thread of its own, not the pool's.</summary>
    private static Task<ValidationReport> RunAsync(Func<ValidationReport> validate, CancellationToken cancellationToken) =>
        Task.Factory.StartNew(validate, cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    /// <summary>How far the check has got, for the upload page, told on the validator's thread.</summary>
    private sealed class CheckProgress(Transfer transfer) : IProgress<ValidationProgress>
    {
        public void Report(ValidationProgress value) => (transfer.BytesChecked, transfer.BytesToCheck) = (value.BytesRead, value.ExpectedBytes);
    }

    /// <summary>Stops the check, leaves no file behind (the staging write removes them all), and records why.</summary>
    private async Task AbandonAsync(ReceiveRequest request, Transfer transfer, CancellationTokenSource stop,
        Task<(ValidationReport, long)> validation, string reason)
    {
        await stop.CancelAsync();
        try
        {
            await validation;
        }
        catch (Exception exception) when (exception is OperationCanceledException or IOException)
        {
            // The check stopped with the transfer.
        }

        LogAbandoned(logger, request.FileName, request.User.Id, transfer.BytesReceived, reason);
        await trail.AppendAsync(request.User.Actor, new TransferAbandoned(request.FileName, request.App.Name, transfer.BytesReceived, reason));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "The transfer of {FileName} by {UserId} stopped after {Bytes} bytes: {Reason}; nothing was kept")]
    private static partial void LogAbandoned(ILogger logger, string fileName, string userId, long bytes, string reason);
}
