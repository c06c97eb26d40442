namespace Portal.Tencent;

/// <summary>What Tencent answered to one package upload.</summary>
public sealed record TencentUploadResult
{
    public long? UploadId { get; init; }

    public int? RetCode { get; init; }

    public string? ErrMsg { get; init; }

    public int? HttpStatus { get; init; }

    /// <summary>Plain-language reason for a failure; null on success.</summary>
    public string? FailureMessage { get; init; }

    public bool Succeeded => FailureMessage is null && UploadId > 0;

    public static TencentUploadResult Success(long uploadId, int httpStatus) => new() { UploadId = uploadId, RetCode = 0, HttpStatus = httpStatus };

    public static TencentUploadResult Failure(string message, int? httpStatus = null, int? retCode = null, string? errMsg = null) =>
        new() { FailureMessage = message, HttpStatus = httpStatus, RetCode = retCode, ErrMsg = errMsg };
}
