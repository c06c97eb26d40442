using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.HttpResults;
using Portal.Api;
using Portal.Auth;
using Portal.Packages;

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
        UploadIntake intake,
        CancellationToken cancellationToken)
    {
        if (!await antiforgery.IsRequestValidAsync(context))
        {
            return ApiProblems.Result(ApiProblemTypes.BadRequest, "The page's security token is missing or has expired. Reload the page and try again.");
        }

        var result = await intake.ReceiveAsync(context, new UploadQuery(app, fileName, kind ?? PackageKind.Account, header ?? false),
            transfer ?? Guid.NewGuid(), cancellationToken);
        return result.Receipt is { } receipt ? TypedResults.Ok(receipt) : ApiProblems.Result(result.Problem!, result.Detail!);
    }

    private static IResult Download(StagedDownload? file) => file is null
        ? Problem(StatusCodes.Status404NotFound, "There is no such file: the upload does not exist, is not yours, or its staged files were removed.")
        : TypedResults.PhysicalFile(file.Path, file.ContentType, file.FileName);

    private static ProblemHttpResult Problem(int status, string detail) => TypedResults.Problem(detail: detail, statusCode: status);
}
