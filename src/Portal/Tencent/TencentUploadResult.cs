namespace Portal.Tencent;

/// <summary>Whether a package reached Tencent: what the user needs to know before sending it again.</summary>
public enum TencentDelivery
{
    /// <summary>Tencent took the package and returned its uploadId.</summary>
    Accepted,

    /// <summary>
    /// No uploadId exists for this attempt: the package never left completely, or Tencent refused it. Sending it again
    /// cannot create a duplicate.
    /// </summary>
    NotDelivered,

    /// <summary>
    /// The whole package left but no usable answer came back: Tencent may hold it under an uploadId the portal never saw.
    /// Sending it again may leave a second copy at Tencent (harmless unless both uploadIds are pushed).
    /// </summary>
    MayHaveArrived,
}

/// <summary>Who has to act on a failed upload.</summary>
public enum TencentFailureKind
{
    /// <summary>Tencent refused the file itself: the uploader must fix it.</summary>
    Package,

    /// <summary>Credentials, region or the Tencent account: an administrator must act; sending again will not help.</summary>
    Configuration,

    /// <summary>Tencent asked the portal to slow down: send again after <see cref="TencentUploadResult.RetryAfter"/>.</summary>
    RateLimited,

    /// <summary>Tencent or the network failed: sending again later may work.</summary>
    Unavailable,

    /// <summary>An answer the portal does not understand (unknown retCode, malformed JSON, no uploadId): an administrator should look.</summary>
    Unexpected,
}

/// <summary>What Tencent answered to one package upload.</summary>
public sealed record TencentUploadResult
{
    public long? UploadId { get; init; }

    public int? RetCode { get; init; }

    public string? ErrMsg { get; init; }

    public int? HttpStatus { get; init; }

    /// <summary>Plain-language reason for a failure and what to do about it; null on success.</summary>
    public string? FailureMessage { get; init; }

    /// <summary>Whether the package reached Tencent; <see cref="Failure"/> assumes the worst, <see cref="TencentDelivery.MayHaveArrived"/>.</summary>
    public TencentDelivery Delivery { get; init; } = TencentDelivery.MayHaveArrived;

    /// <summary>Who has to act; null on success.</summary>
    public TencentFailureKind? FailureKind { get; init; }

    /// <summary>For <see cref="TencentFailureKind.RateLimited"/>: the portal sends nothing to this app before this time.</summary>
    public DateTimeOffset? RetryAfter { get; init; }

    public bool Succeeded => FailureMessage is null && UploadId > 0;

    public static TencentUploadResult Success(long uploadId, int httpStatus) =>
        new() { UploadId = uploadId, RetCode = 0, HttpStatus = httpStatus, Delivery = TencentDelivery.Accepted };

    /// <summary>A failure of kind <see cref="TencentFailureKind.Unavailable"/> that may have reached Tencent; adjust with <c>with</c>.</summary>
    public static TencentUploadResult Failure(string message, int? httpStatus = null, int? retCode = null, string? errMsg = null) =>
        new() { FailureMessage = message, HttpStatus = httpStatus, RetCode = retCode, ErrMsg = errMsg, FailureKind = TencentFailureKind.Unavailable };
}
