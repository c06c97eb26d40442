using System.Buffers.Text;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.WebUtilities;
using Portal.Audit;
using Portal.Auth;

namespace Portal.Api;

/// <summary>
/// <c>GET /api/v1/uploads</c> (the audit log's filters, keyset paging) and <c>GET /api/v1/events</c> (the activity
/// trail after a sequence number), for auditors' machines. Reading the trail is recorded once per listing, on its first
/// page, as an export is for a person.
/// </summary>
public static class AuditApi
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;

    public static void MapAuditApi(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        api.MapGet("/uploads", ListAsync)
            .RequireAuthorization(ApiAuthentication.AuditorPolicy)
            .WithTags("Audit")
            .WithSummary("The audit log: uploads matching the audit filters, newest first, a page at a time")
            .WithDescription("Filters: user, from, to, app, status, kind, uploadId, fileName, sha256, order=asc. limit (1-1000, default 100). Follow 'next' for the next page; uploads arriving meanwhile never repeat or skip an entry.")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        api.MapGet("/events", EventsAsync)
            .RequireAuthorization(ApiAuthentication.AuditorPolicy)
            .WithTags("Audit")
            .WithSummary("The activity trail: events after a sequence number, oldest first")
            .WithDescription("after (sequence number, default 0), kind, upload (an upload's id), limit (1-1000, default 100). Follow 'next' for the next page.")
            .ProducesProblem(StatusCodes.Status400BadRequest);
    }

    internal static async Task<Results<Ok<ApiPage<UploadView>>, ProblemHttpResult>> ListAsync(
        HttpContext context, AuditFilter filter, string? after, int? limit, AuditSearch search, AuditTrail trail)
    {
        if (Limit(limit) is not { } take)
        {
            return LimitProblem();
        }

        UploadCursor? cursor = null;
        if (after is not null && (cursor = ParseCursor(after)) is null)
        {
            return ApiProblems.Result(ApiProblemTypes.BadRequest, "after is not a cursor this API gave: follow the 'next' URL of the previous page.");
        }

        if (cursor is null)
        {
            await trail.AppendAsync(PortalUser.From(context.User).Actor, new AuditExported("api", filter.ToString()), cancellationToken: context.RequestAborted);
        }

        var entries = await search.SearchAfterAsync(filter, cursor, take, context.RequestAborted);
        var next = entries.Count == take
            ? filter.AppendTo(ApiRoutes.Prefix + "/uploads", KeyValuePair.Create("after", (string?)Cursor(entries[^1].Upload)), KeyValuePair.Create("limit", (string?)Invariant(take)))
            : null;
        return TypedResults.Ok(new ApiPage<UploadView>([.. entries.Select(ApiRoutes.View)], next));
    }

    internal static async Task<Results<Ok<ApiPage<EventView>>, ProblemHttpResult>> EventsAsync(
        HttpContext context, long? after, string? kind, Guid? upload, int? limit, AuditSearch search, AuditTrail trail)
    {
        if (Limit(limit) is not { } take)
        {
            return LimitProblem();
        }

        if (after is < 0)
        {
            return ApiProblems.Result(ApiProblemTypes.BadRequest, "after must be a sequence number, 0 or more.");
        }

        if (after is null or 0)
        {
            await trail.AppendAsync(PortalUser.From(context.User).Actor, new AuditExported("api-events", $"kind={kind}, upload={upload}"), cancellationToken: context.RequestAborted);
        }

        var events = await search.EventsAfterAsync(after ?? 0, string.IsNullOrWhiteSpace(kind) ? null : kind.Trim(), upload, take, context.RequestAborted);
        var next = events.Count == take
            ? QueryHelpers.AddQueryString(ApiRoutes.Prefix + "/events", new Dictionary<string, string?>
            {
                ["after"] = Invariant(events[^1].Seq),
                ["kind"] = string.IsNullOrWhiteSpace(kind) ? null : kind.Trim(),
                ["upload"] = upload?.ToString("D"),
                ["limit"] = Invariant(take),
            }.Where(pair => pair.Value is not null))
            : null;
        return TypedResults.Ok(new ApiPage<EventView>([.. events.Select(View)], next));
    }

    private static EventView View(AuditEvent recorded)
    {
        using var data = JsonDocument.Parse(recorded.Data);
        return new EventView(recorded.Seq, recorded.OccurredAt, recorded.Kind, new ActorView(recorded.ActorId, recorded.ActorName), recorded.UploadId, data.RootElement.Clone());
    }

    private static int? Limit(int? limit) => limit switch
    {
        null => DefaultLimit,
        >= 1 and <= MaxLimit => limit,
        _ => null,
    };

    private static ProblemHttpResult LimitProblem() => ApiProblems.Result(ApiProblemTypes.BadRequest, $"limit must be from 1 to {MaxLimit}.");

    /// <summary>The page's last upload, opaque to the caller: its time (ticks) and id.</summary>
    private static string Cursor(Uploads.UploadRecord last) =>
        Base64Url.EncodeToString(Encoding.ASCII.GetBytes($"{Invariant(last.ReceivedAt.Ticks)}.{last.Id:N}"));

    private static UploadCursor? ParseCursor(string text)
    {
        try
        {
            var parts = Encoding.ASCII.GetString(Base64Url.DecodeFromChars(text)).Split('.');
            return parts.Length == 2
                && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks) && ticks <= DateTime.MaxValue.Ticks
                && Guid.TryParseExact(parts[1], "N", out var id)
                ? new UploadCursor(new DateTime(ticks, DateTimeKind.Utc), id)
                : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static string Invariant(long value) => value.ToString(CultureInfo.InvariantCulture);
}
