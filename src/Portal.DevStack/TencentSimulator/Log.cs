using Microsoft.Extensions.Logging;

namespace Portal.DevStack.TencentSimulator;

internal static partial class Log
{
    [LoggerMessage(EventId = 4200, Level = LogLevel.Warning,
        Message = "Tencent Push simulator (not Tencent: for development and tests only) serving POST {UploadPath} for AccessIds {AccessIds}")]
    public static partial void SimulatorEnabled(this ILogger logger, string uploadPath, string accessIds);

    [LoggerMessage(EventId = 4201, Level = LogLevel.Information,
        Message = "Simulator accepted upload {UploadId} from {AccessId}: {FileName}, {Size} bytes, {RowCount} rows, SHA-256 {Sha256}")]
    public static partial void UploadAccepted(this ILogger logger, long uploadId, string accessId, string fileName, long size, long rowCount, string sha256);

    [LoggerMessage(EventId = 4202, Level = LogLevel.Information,
        Message = "Simulator rejected an upload from {AccessId} with retCode {RetCode}: {Reason}")]
    public static partial void UploadRejected(this ILogger logger, string accessId, int retCode, string reason);

    [LoggerMessage(EventId = 4203, Level = LogLevel.Information,
        Message = "Simulator injects the fault '{Fault}' into an upload from {AccessId}")]
    public static partial void FaultInjected(this ILogger logger, string fault, string accessId);
}
