using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Portal.Auth;
using Portal.Packages;
using Portal.Uploads;

namespace Portal.Api;

/// <summary>
/// <c>/api/v1/uploads</c> for service accounts: upload a package (the same checks, report and trail as the upload page),
/// follow it, read its problem report, send it once under an idempotency key, cancel the send. Who may do what with an
/// upload is <see cref="UploadAccess"/>'s decision, as for people.
/// </summary>
public static class UploadsApi
{
    public const string IdempotencyKeyHeader = "Idempotency-Key";
    private const int MaxIdempotencyKeyLength = 255;

    public static void MapUploadsApi(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        var uploads = api.MapGroup("/uploads").WithTags("Uploads");
        uploads.MapPost("", CreateAsync)
            .RequireAuthorization(ApiAuthentication.UploaderPolicy)
            .Accepts<Stream>("application/octet-stream", "text/plain", "text/csv", "application/zip")
            .WithSummary("Upload a package")
            .WithDescription("The package is the request body, streamed (at most 100 MB). It is staged, checked against Tencent's rules while it arrives, and recorded in the audit trail; the answer is the validation report the upload page shows.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        uploads.MapGet("/{id}", FindAsync)
            .RequireAuthorization(ApiAuthentication.MemberPolicy)
            .WithSummary("An upload: its state, report summary, Tencent's uploadId once sent, the send's live progress")
            .ProducesProblem(StatusCodes.Status404NotFound);
        uploads.MapGet("/{id}/problems", ProblemsAsync)
            .RequireAuthorization(ApiAuthentication.MemberPolicy)
            .WithSummary("The full problem report (CSV: line, value, reason)")
            .Produces(StatusCodes.Status200OK, contentType: "text/csv")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status410Gone);
        uploads.MapPost("/{id}/send", SendAsync)
            .RequireAuthorization(ApiAuthentication.UploaderPolicy)
            .Accepts<SendBody>("application/json")
            .WithSummary("Send the original or the clean package to Tencent, once per Idempotency-Key")
            .WithDescription("Queues the send and answers 202. The same Idempotency-Key again gets the same answer and never a second send; another key for an upload whose send is under way or done is refused with 409 (with Tencent's uploadId once sent). After a failed, interrupted or cancelled send, a new key sends again.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        uploads.MapDelete("/{id}/send", CancelAsync)
            .RequireAuthorization(ApiAuthentication.MemberPolicy)
            .WithSummary("Cancel a queued send (certainly not sent: 200) or stop a running one (it may have arrived: 202)")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
    }

    internal static async Task<Results<Created<UploadCreated>, ProblemHttpResult>> CreateAsync(
        HttpContext context, string? app, string? fileName, string? kind, string? header, UploadIntake intake, CancellationToken cancellationToken)
    {
        if (ParseKind(kind) is not { } packageKind)
        {
            return ApiProblems.Result(ApiProblemTypes.BadRequest, $"kind '{kind}' is neither account nor token.");
        }

        if (ParseFlag(header) is not { } headerRow)
        {
            return ApiProblems.Result(ApiProblemTypes.BadRequest, $"header '{header}' is neither true nor false.");
        }

        var result = await intake.ReceiveAsync(context, new UploadQuery(app, fileName, packageKind, headerRow), Guid.NewGuid(), cancellationToken);
        if (result.Receipt is not { } receipt)
        {
            return ApiProblems.Result(result.Problem!, result.Detail!);
        }

        var url = ApiRoutes.Upload(receipt.UploadId);
        return TypedResults.Created(url, new UploadCreated(receipt.UploadId, url, receipt.FileName, receipt.Size, receipt.Sha256, receipt.Sendable, receipt.Report));
    }

    internal static async Task<Results<Ok<UploadView>, ProblemHttpResult>> FindAsync(string id, HttpContext context, UploadService uploads)
    {
        var entry = Guid.TryParse(id, out var uploadId) ? await uploads.FindAsync(uploadId, PortalUser.From(context.User), context.RequestAborted) : null;
        return entry is null ? NotFound(id) : TypedResults.Ok(ApiRoutes.View(entry));
    }

    internal static async Task<Results<PhysicalFileHttpResult, ProblemHttpResult>> ProblemsAsync(string id, HttpContext context, UploadService uploads)
    {
        var user = PortalUser.From(context.User);
        if (!Guid.TryParse(id, out var uploadId) || await uploads.FindAsync(uploadId, user, context.RequestAborted) is null)
        {
            return NotFound(id);
        }

        return await uploads.ProblemReportAsync(uploadId, user, context.RequestAborted) is { } report
            ? TypedResults.PhysicalFile(report.Path, report.ContentType, report.FileName)
            : ApiProblems.Result(ApiProblemTypes.FileGone, "The problem report was removed with the upload's staged files after the retention period.");
    }

    internal static async Task<Results<Accepted<SendAccepted>, ProblemHttpResult>> SendAsync(
        string id, HttpContext context, [FromHeader(Name = IdempotencyKeyHeader)] string? idempotencyKey, UploadService uploads)
    {
        if (string.IsNullOrEmpty(idempotencyKey))
        {
            return ApiProblems.Result(ApiProblemTypes.IdempotencyKeyMissing, $"The request has no {IdempotencyKeyHeader} header.");
        }

        if (idempotencyKey.Length > MaxIdempotencyKeyLength || idempotencyKey.Any(c => c is < '!' or > '~'))
        {
            return ApiProblems.Result(ApiProblemTypes.BadRequest,
                $"The {IdempotencyKeyHeader} must be 1 to {MaxIdempotencyKeyLength} visible ASCII characters (a UUID will do).");
        }

        if (!Guid.TryParse(id, out var uploadId))
        {
            return NotFound(id);
        }

        var package = await PackageOfAsync(context);
        if (package is not (SendBody.Original or SendBody.Clean))
        {
            return ApiProblems.Result(ApiProblemTypes.BadRequest, """The body must be JSON naming the package to send: {"package": "original"} or {"package": "clean"}.""");
        }

        var result = await uploads.SendOnceAsync(uploadId, package, idempotencyKey, PortalUser.From(context.User), context.RequestAborted);
        if (result.Ticket is { } ticket)
        {
            if (result.Replayed)
            {
                context.Response.Headers["Idempotent-Replayed"] = "true";
            }

            var url = ApiRoutes.Upload(ticket.UploadId);
            return TypedResults.Accepted(url, new SendAccepted(ticket.UploadId, url, ticket.Package, ticket.Attempt, ticket.QueuedAt));
        }

        var extensions = result.State is { } state
            ? new Dictionary<string, object?> { ["uploadStatus"] = state.Status.Text(), ["uploadId"] = state.TencentUploadId, ["url"] = ApiRoutes.Upload(uploadId) }
            : null;
        return result.Refusal switch
        {
            SendRefusal.NotFound => NotFound(id),
            SendRefusal.KeyReused => ApiProblems.Result(ApiProblemTypes.IdempotencyKeyReused, result.Message),
            SendRefusal.AlreadySent => ApiProblems.Result(ApiProblemTypes.AlreadySent, result.Message, extensions),
            SendRefusal.InProgress => ApiProblems.Result(ApiProblemTypes.SendInProgress, result.Message, extensions),
            SendRefusal.PackageUnavailable => ApiProblems.Result(ApiProblemTypes.PackageUnavailable, result.Message, extensions),
            _ => ApiProblems.Result(ApiProblemTypes.NothingToSend, result.Message, extensions),
        };
    }

    internal static async Task<Results<Ok<UploadView>, Accepted<UploadView>, ProblemHttpResult>> CancelAsync(string id, HttpContext context, UploadService uploads)
    {
        var user = PortalUser.From(context.User);
        if (!Guid.TryParse(id, out var uploadId) || await uploads.FindAsync(uploadId, user, context.RequestAborted) is null)
        {
            return NotFound(id);
        }

        var result = await uploads.CancelAsync(uploadId, user, context.RequestAborted);
        var after = ApiRoutes.View((await uploads.FindAsync(uploadId, user, context.RequestAborted))!);
        if (!result.Done)
        {
            return ApiProblems.Result(ApiProblemTypes.NoSendToCancel, result.Message, new Dictionary<string, object?> { ["uploadStatus"] = after.Status });
        }

        // A queued send is cancelled at once; a running one stops at its worker's next report.
        return after.Status == UploadStatus.Cancelled.Text() ? TypedResults.Ok(after) : TypedResults.Accepted(after.Url, after);
    }

    /// <summary>The body's package, or null when the body is not the JSON asked for.</summary>
    private static async Task<string?> PackageOfAsync(HttpContext context)
    {
        try
        {
            return context.Request.HasJsonContentType()
                ? (await context.Request.ReadFromJsonAsync<SendBody>(context.RequestAborted))?.Package
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static ProblemHttpResult NotFound(string id) =>
        ApiProblems.Result(ApiProblemTypes.NotFound, $"There is no upload '{id}', or it is not yours to see.");

    private static PackageKind? ParseKind(string? kind) => kind?.Trim().ToLowerInvariant() switch
    {
        null or "" or "account" or "accounts" => PackageKind.Account,
        "token" or "tokens" => PackageKind.Token,
        _ => null,
    };

    private static bool? ParseFlag(string? value) => string.IsNullOrWhiteSpace(value) ? false : bool.TryParse(value, out var flag) ? flag : null;
}
