using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using Portal.Api;
using Portal.Auth;
using Portal.Localization;
using Portal.Packages;
using Portal.Resources;

namespace Portal.Uploads;

/// <summary>
/// <c>POST /api/uploads?app=…&amp;fileName=…&amp;kind=Account|Token&amp;header=true|false</c> with the raw file as the body:
/// the page sends the bytes with a plain streaming request (fast, with progress) instead of through the Blazor circuit.
/// The file is staged and hashed, validated in one pass (writing the clean package and the problem report beside it),
/// and recorded in the audit trail before the answer goes back. A refusal keeps the API's problem type, with its detail in
/// the language of the request (the page's): the API itself (<c>/api/v1</c>) answers in English.
/// </summary>
public static class UploadEndpoints
{
    public const string Route = "/api/uploads";

    public static void MapUploadEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost(Route, ReceiveAsync).RequireAuthorization(AuthExtensions.UploaderPolicy);
        endpoints.MapGet($"{Route}/{{id:guid}}/problem-report", async (Guid id, HttpContext context, UploadService uploads, IStringLocalizer<UploadsText> text) =>
            Download(await uploads.ProblemReportAsync(id, PortalUser.From(context.User), context.RequestAborted), text));
        endpoints.MapGet($"{Route}/{{id:guid}}/sent-file", async (Guid id, HttpContext context, UploadService uploads, IStringLocalizer<UploadsText> text) =>
            Download(await uploads.SentFileAsync(id, PortalUser.From(context.User), context.RequestAborted), text));
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
        IStringLocalizer<UploadsText> text,
        IOptions<UploadOptions> options,
        CancellationToken cancellationToken)
    {
        if (!await antiforgery.IsRequestValidAsync(context))
        {
            return ApiProblems.Result(ApiProblemTypes.BadRequest, text["RefusedToken"]);
        }

        var query = new UploadQuery(app, fileName, kind ?? PackageKind.Account, header ?? false);
        var result = await intake.ReceiveAsync(context, query, transfer ?? Guid.NewGuid(), cancellationToken);
        return result.Receipt is { } receipt
            ? TypedResults.Ok(receipt)
            : ApiProblems.Result(result.Problem!, RefusalText(result.Problem!, result.Detail!, query, options.Value, text));
    }

    /// <summary>The intake's English detail, translated by its problem type where the reader's language has a translation.</summary>
    private static string RefusalText(ApiProblemType problem, string detail, UploadQuery query, UploadOptions options, IStringLocalizer<UploadsText> text) => problem switch
    {
        _ when problem == ApiProblemTypes.FileName && string.IsNullOrWhiteSpace(query.FileName) => text.OrOriginal("Refused_NoFileName", detail),
        _ when problem == ApiProblemTypes.FileName => text.OrOriginal("Refused_FileName", detail),
        _ when problem == ApiProblemTypes.AppNotAllowed => text.OrOriginal("Refused_AppNotAllowed", detail, query.App ?? ""),
        _ when problem == ApiProblemTypes.KindNotAccepted => text.OrOriginal("Refused_KindNotAccepted", detail, query.App ?? "", text[$"Kind{query.Kind}"].Value),
        _ when problem == ApiProblemTypes.TooLarge => text.OrOriginal("Refused_TooLarge", detail, query.FileName ?? ""),
        _ when problem == ApiProblemTypes.TooManyTransfers => text.OrOriginal("Refused_TooManyTransfers", detail, options.MaxTransfersPerUser),
        _ => detail,
    };

    private static IResult Download(StagedDownload? file, IStringLocalizer<UploadsText> text) => file is null
        ? Problem(StatusCodes.Status404NotFound, text["NoSuchFile"])
        : TypedResults.PhysicalFile(file.Path, file.ContentType, file.FileName);

    private static ProblemHttpResult Problem(int status, string detail) => TypedResults.Problem(detail: detail, statusCode: status);
}
