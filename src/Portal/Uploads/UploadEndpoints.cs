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
        Guid? transfer,
        IAntiforgery antiforgery,
        IOptions<TencentOptions> tencentOptions,
        IOptions<OidcOptions> oidcOptions,
        IOptions<UploadOptions> uploadOptions,
        TransferBoard transfers,
        PackageReceiver receiver,
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

        // The name recorded must be the name sent, and read the same everywhere it is shown.
        if (PackageRules.FileNameProblem(fileName) is { } badName)
        {
            return Problem(StatusCodes.Status400BadRequest, badName);
        }

        var user = PortalUser.From(context.User);
        var packageKind = kind ?? PackageKind.Account;
        var tencentApp = tencentOptions.Value.AppsAvailableTo(oidcOptions.Value.GroupsOf(context.User))
            .FirstOrDefault(candidate => candidate.Name == app);
        if (!UploadAccess.CanUpload(user) || tencentApp is null)
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

        using var underWay = transfers.Begin(transfer ?? Guid.NewGuid(), user.Id);
        if (underWay is null)
        {
            return Problem(StatusCodes.Status429TooManyRequests,
                $"You already have {uploadOptions.Value.MaxTransfersPerUser} uploads under way; wait for one of them to finish, then try again.");
        }

        // Kestrel's default body limit (30 MB) is below Tencent's; the staging copy enforces the real limit itself.
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodySize)
        {
            bodySize.MaxRequestBodySize = PackageRules.MaxPackageBytes + 1;
        }

        var request = new ReceiveRequest(fileName, tencentApp, packageKind, header ?? false, user,
            context.Connection.RemoteIpAddress?.ToString(), Truncate(context.Request.Headers.UserAgent.ToString(), 512));
        var receipt = await receiver.ReceiveAsync(request, context.Request.Body, context.Request.ContentLength, underWay, cancellationToken);
        return receipt is null ? TooLarge(fileName) : TypedResults.Ok(receipt);
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
