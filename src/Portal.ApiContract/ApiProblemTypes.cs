namespace Portal.Api;

/// <summary>One kind of error the API answers with, as RFC 9457 problem details: its stable code and what it means.</summary>
/// <param name="Code">The last segment of the problem's <c>type</c>: never renamed once published.</param>
/// <param name="Status">The HTTP status it comes with.</param>
/// <param name="Title">The problem's <c>title</c>: the same for every occurrence.</param>
/// <param name="Meaning">What a client should understand and do.</param>
public sealed record ApiProblemType(string Code, int Status, string Title, string Meaning)
{
    /// <summary>The problem's <c>type</c>, a URI reference resolved against the portal, where the type is described.</summary>
    public string Type => ApiProblemTypes.TypePrefix + Code;
}

/// <summary>Every problem type of <c>/api/v1</c>; the README lists the same table, and the portal serves it at <see cref="TypePrefix"/>.</summary>
public static class ApiProblemTypes
{
    public const string TypePrefix = "/api/v1/problems/";

    public static readonly ApiProblemType Unauthorized = new("unauthorized", 401, "No valid bearer token",
        "The request has no bearer token, or its token is expired, not signed by the configured identity provider, or meant for another audience. Get a new token (client credentials) and try again.");

    public static readonly ApiProblemType Forbidden = new("forbidden", 403, "Not allowed",
        "The token is valid, but its portal roles do not allow this call (uploads and sends need Uploader; lists and events need Auditor). Map the service account's role claim in Oidc:RoleMapping.");

    public static readonly ApiProblemType NotFound = new("not-found", 404, "No such upload",
        "The upload does not exist, or the caller may not see it (another uploader's upload is answered exactly like a missing one).");

    public static readonly ApiProblemType BadRequest = new("bad-request", 400, "The request is not valid",
        "A parameter is missing or malformed; the detail names it.");

    public static readonly ApiProblemType FileName = new("file-name", 400, "The file name cannot be taken",
        "The fileName parameter is missing, or holds a control character, a direction control or a folder separator; the detail names it and its position.");

    public static readonly ApiProblemType AppNotAllowed = new("app-not-allowed", 400, "Not a Tencent app the caller may upload to",
        "The app parameter names no configured Tencent app, or one that the caller's groups are not allowed to use (Tencent:Apps:N:AllowedGroups).");

    public static readonly ApiProblemType KindNotAccepted = new("kind-not-accepted", 400, "The app does not take this package kind",
        "The Tencent app is configured for other package kinds (Tencent:Apps:N:PackageKinds).");

    public static readonly ApiProblemType TooLarge = new("too-large", 413, "The package is larger than Tencent accepts",
        "The body is over 100 MB (104,857,600 bytes), the most Tencent accepts. Nothing was kept.");

    public static readonly ApiProblemType TooManyTransfers = new("too-many-transfers", 429, "Too many uploads under way",
        "The caller already has Uploads:MaxTransfersPerUser uploads arriving; wait for one to finish, then try again.");

    public static readonly ApiProblemType IdempotencyKeyMissing = new("idempotency-key-missing", 400, "A send needs an Idempotency-Key",
        "POST …/send needs an Idempotency-Key header (1 to 255 visible ASCII characters, e.g. a new UUID per intended send); sending again with the same key is then safe.");

    public static readonly ApiProblemType IdempotencyKeyReused = new("idempotency-key-reused", 422, "The Idempotency-Key was used for another request",
        "The caller already used this key for a send of another upload or package. Use a new key for a new send.");

    public static readonly ApiProblemType PackageUnavailable = new("package-unavailable", 422, "That package cannot be sent",
        "The original has problems Tencent would reject (send the clean package), there is no clean package, the staged file was removed after its retention period, or the Tencent app is no longer configured; the detail says which.");

    public static readonly ApiProblemType AlreadySent = new("already-sent", 409, "The upload was already sent",
        "A send with another Idempotency-Key already reached Tencent: the answer's uploadId is Tencent's id for it. Nothing was sent again.");

    public static readonly ApiProblemType SendInProgress = new("send-in-progress", 409, "A send of the upload is queued or running",
        "Another send of this upload (under another Idempotency-Key) is under way; follow it with GET /api/v1/uploads/{id}.");

    public static readonly ApiProblemType NothingToSend = new("nothing-to-send", 409, "The upload cannot be sent",
        "The upload was rejected: nothing in it can be sent. Fix the file and upload it again.");

    public static readonly ApiProblemType NoSendToCancel = new("no-send-to-cancel", 409, "There is no send to cancel",
        "The upload has no queued or running send: it has not been sent, or its send has already ended.");

    public static readonly ApiProblemType FileGone = new("file-gone", 410, "The file is no longer kept",
        "The upload's staged files were removed after Audit:StagedFileRetention; its record and hashes stay.");

    public static readonly IReadOnlyList<ApiProblemType> All =
    [
        Unauthorized, Forbidden, NotFound, BadRequest, FileName, AppNotAllowed, KindNotAccepted, TooLarge, TooManyTransfers,
        IdempotencyKeyMissing, IdempotencyKeyReused, PackageUnavailable, AlreadySent, SendInProgress, NothingToSend,
        NoSendToCancel, FileGone,
    ];

    /// <summary>The problem type a <c>type</c> member names; null for none of ours.</summary>
    public static ApiProblemType? FromType(string? type) => All.FirstOrDefault(problem => problem.Type == type);
}
