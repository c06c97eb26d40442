using System.Collections.Frozen;

namespace Portal.DevStack.TencentSimulator;

/// <summary>The TPNS server error codes the simulator answers with, and their errMsg (docs/tpns-api.md §4).</summary>
internal static class TencentRetCodes
{
    public const int Success = 0;
    public const int ParameterParseError = 1008001;
    public const int MissingParameter = 1008002;
    public const int AuthFailure = 1008003;
    public const int InvalidParameter = 1008007;
    public const int UploadFileError = 1008011;
    public const int UploadEmptyFile = 1008012;
    public const int AccessIdOrDomainNotCorrect = 1008035;

    private static readonly FrozenDictionary<int, string> Messages = new Dictionary<int, string>
    {
        [Success] = string.Empty,
        [ParameterParseError] = "parameter parse error",
        [MissingParameter] = "missing parameter",
        [AuthFailure] = "auth failure",
        [1008004] = "invoke service error",
        [InvalidParameter] = "invalid parameter",
        [UploadFileError] = "upload file error",
        [UploadEmptyFile] = "upload empty file",
        [1008028] = "request too fast",
        [1008030] = "app not paid",
        [1008031] = "app was expired",
        [AccessIdOrDomainNotCorrect] = "accessId not correct or domain not correct",
        [1010001] = "resources not deployed",
        [10030002] = "AccessID and AccessKey mismatch",
    }.ToFrozenDictionary();

    public static string Message(int retCode) => Messages.GetValueOrDefault(retCode, "simulated error");
}
