namespace Portal.DevStack.TencentSimulator;

/// <summary>The TPNS server error codes the simulator answers with (docs/tpns-api.md §4).</summary>
internal static class TencentRetCodes
{
    public const int Success = 0;
    public const int ParameterParseError = 1008001;
    public const int MissingParameter = 1008002;
    public const int AuthFailure = 1008003;
    public const int UploadFileError = 1008011;
    public const int UploadEmptyFile = 1008012;

    public static string Message(int retCode) => retCode switch
    {
        Success => string.Empty,
        ParameterParseError => "parameter parse error",
        MissingParameter => "missing parameter",
        AuthFailure => "auth failure",
        UploadFileError => "upload file error",
        UploadEmptyFile => "upload empty file",
        _ => "invoke service error",
    };
}
