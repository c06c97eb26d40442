using System.Text.Json.Serialization;

namespace Portal.DevStack.TencentSimulator;

/// <summary>The upload API's answer: camelCase, unlike the push API (docs/tpns-api.md §1).</summary>
internal sealed record UploadResponse(
    [property: JsonPropertyName("retCode")] int RetCode,
    [property: JsonPropertyName("errMsg")] string ErrMsg,
    [property: JsonPropertyName("uploadId")] long UploadId);

/// <summary>The answer with its uploadId missing (fault <c>answer=no-upload-id</c>).</summary>
internal sealed record UploadResponseWithoutId(
    [property: JsonPropertyName("retCode")] int RetCode,
    [property: JsonPropertyName("errMsg")] string ErrMsg);

[JsonSerializable(typeof(UploadResponse))]
[JsonSerializable(typeof(UploadResponseWithoutId))]
internal sealed partial class SimulatorJsonContext : JsonSerializerContext;
