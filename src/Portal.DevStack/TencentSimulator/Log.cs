using Microsoft.Extensions.Logging;

namespace Portal.DevStack.TencentSimulator;

internal static partial class Log
{
    [LoggerMessage(EventId = 4200, Level = LogLevel.Warning,
        Message = "Tencent Push simulator enabled at {BaseUrl} for AccessIds {AccessIds}. Development only.")]
    public static partial void SimulatorEnabled(this ILogger logger, Uri baseUrl, string accessIds);

    [LoggerMessage(EventId = 4201, Level = LogLevel.Information,
        Message = "Simulator accepted upload {UploadId} from {AccessId}: {FileName}, {Size} bytes, {RowCount} rows, SHA-256 {Sha256}")]
    public static partial void UploadAccepted(this ILogger logger, long uploadId, string accessId, string fileName, long size, long rowCount, string sha256);

    [LoggerMessage(EventId = 4202, Level = LogLevel.Information,
        Message = "Simulator rejected an upload from {AccessId} with retCode {RetCode}: {Reason}")]
    public static partial void UploadRejected(this ILogger logger, string accessId, int retCode, string reason);
}
