using System.Text.Json.Serialization;

namespace Portal.DevStack.TencentSimulator;

/// <summary>The upload API's answer: camelCase, unlike the push API (docs/tpns-api.md §1).</summary>
internal sealed record UploadResponse(
    [property: JsonPropertyName("retCode")] int RetCode,
    [property: JsonPropertyName("errMsg")] string ErrMsg,
    [property: JsonPropertyName("uploadId")] long UploadId);

[JsonSerializable(typeof(UploadResponse))]
internal sealed partial class SimulatorJsonContext : JsonSerializerContext;
