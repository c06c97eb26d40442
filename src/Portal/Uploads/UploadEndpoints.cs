using System.Diagnostics;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Portal.Auth;
using Portal.Packages;
using Portal.Tencent;

namespace Portal.Uploads;

/// <summary>
/// <c>POST /api/uploads?app=…&amp;fileName=…&amp;kind=Account|Token&amp;header=true|false</c> with the raw file as the body:
/// the page sends the bytes with a plain streaming request (fast, with progress) instead of through the Blazor circuit.
/// The file is staged and hashed, validated in one pass (writing the clean package and the problem report beside it),
/// and recorded in the audit trail before the answer goes back.
/// </summary>
public static class UploadEndpoints
{
    public const string Route = "/api/uploads";

    public static void MapUploadEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost(Route, ReceiveAsync).RequireAuthorization(AuthExtensions.UploaderPolicy);
        endpoints.MapGet($"{Route}/{{id:guid}}/problem-report", async (Guid id, HttpContext context, UploadService uploads) =>
            Download(await uploads.ProblemReportAsync(id, PortalUser.From(context.User), context.RequestAborted)));
        endpoints.MapGet($"{Route}/{{id:guid}}/sent-file", async (Guid id, HttpContext context, UploadService uploads) =>
            Download(await uploads.SentFileAsync(id, PortalUser.From(context.User), context.RequestAborted)));
    }

    internal static async Task<Results<Ok<UploadReceipt>, ProblemHttpResult>> ReceiveAsync(
        HttpContext context,
        string? app,
        string? fileName,
        PackageKind? kind,
        bool? header,
        IAntiforgery antiforgery,
        IOptions<TencentOptions> tencentOptions,
        IOptions<OidcOptions> oidcOptions,
        StagingStore staging,
        UploadStore store,
        TimeProvider clock,
        CancellationToken cancellationToken)
    {
        if (!await antiforgery.IsRequestValidAsync(context))
        {
            return Problem(StatusCodes.Status400BadRequest, "The page's security token is missing or has expired. Reload the page and try again.");
        }

        if (string.IsNullOrWhiteSpace(fileName))
        {
            return Problem(StatusCodes.Status400BadRequest, "The upload has no file name.");
        }

        var packageKind = kind ?? PackageKind.Account;
        var tencentApp = tencentOptions.Value.AppsAvailableTo(oidcOptions.Value.GroupsOf(context.User))
            .FirstOrDefault(candidate => candidate.Name == app);
        if (tencentApp is null)
        {
            return Problem(StatusCodes.Status400BadRequest, $"'{app}' is not a Tencent app you may upload to.");
        }

        if (!tencentApp.Accepts(packageKind))
        {
            return Problem(StatusCodes.Status400BadRequest, $"The Tencent app '{tencentApp.Name}' does not take {packageKind.ToString().ToLowerInvariant()} packages.");
        }

        if (context.Request.ContentLength > PackageRules.MaxPackageBytes)
        {
            return TooLarge(fileName);
        }

        // Kestrel's default body limit (30 MB) is below Tencent's; the staging copy enforces the real limit itself.
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodySize)
        {
            bodySize.MaxRequestBodySize = PackageRules.MaxPackageBytes + 1;
        }

        var staged = await staging.StageAsync(context.Request.Body, cancellationToken);
        if (staged is null)
        {
            return TooLarge(fileName);
        }

        var validation = Stopwatch.StartNew();
        ValidationReport report;
        await using (var content = new FileStream(staged.Path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20))
        {
            report = PackageValidator.Validate(
                new ValidationRequest(fileName, packageKind, header ?? false),
                content,
                new ValidationOutputs(staging.CleanPathOf(staged.Id), staging.ProblemReportPathOf(staged.Id)),
                cancellationToken);
        }

        var user = PortalUser.From(context.User);
        await store.RecordReceivedAsync(new UploadRecord
        {
            Id = staged.Id,
            ReceivedAt = clock.GetUtcNow().UtcDateTime,
            UserId = user.Id,
            UserName = user.Name,
            UserEmail = user.Email,
            UserIssuer = user.Issuer,
            ClientIp = context.Connection.RemoteIpAddress?.ToString(),
            UserAgent = Truncate(context.Request.Headers.UserAgent.ToString(), 512),
            TencentApp = tencentApp.Name,
            TencentRegion = tencentApp.Region.ToString(),
            PackageKind = packageKind.ToString(),
            FileName = fileName,
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
            ValidationMs = validation.ElapsedMilliseconds,
            HeaderRow = header ?? false,
            BlankRowCount = report.BlankRowCount,
        }, user.Actor, CancellationToken.None);

        return TypedResults.Ok(new UploadReceipt(staged.Id, fileName, staged.Size, staged.Sha256, report));
    }

    private static IResult Download(StagedDownload? file) => file is null
        ? Problem(StatusCodes.Status404NotFound, "There is no such file: the upload does not exist, is not yours, or its staged files were removed.")
        : TypedResults.PhysicalFile(file.Path, file.ContentType, file.FileName);

    private static string? Truncate(string value, int length) => value.Length == 0 ? null : value.Length <= length ? value : value[..length];

    private static ProblemHttpResult TooLarge(string fileName) => Problem(
        StatusCodes.Status413PayloadTooLarge,
        $"'{fileName}' is larger than {PackageRules.MaxPackageBytes:N0} bytes (100 MB), the most Tencent accepts.");

    private static ProblemHttpResult Problem(int status, string detail) => TypedResults.Problem(detail: detail, statusCode: status);
}

/// <summary>What the upload endpoint answers once a package is staged and validated.</summary>
public sealed record UploadReceipt(Guid UploadId, string FileName, long Size, string Sha256, ValidationReport Report)
{
    /// <summary>Something can be sent: the original as it is, or the clean package.</summary>
    public bool Sendable => Report.OriginalSendable || Report.CleanPackage is not null;
}
