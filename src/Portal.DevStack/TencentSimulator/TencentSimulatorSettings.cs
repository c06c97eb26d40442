namespace Portal.DevStack.TencentSimulator;

/// <summary>The resolved simulator configuration for this process.</summary>
internal sealed record TencentSimulatorSettings(string PathPrefix, DevTencentSimulatorClient Client)
{
    public const string UploadPath = "/v3/push/package/upload";

    /// <summary>Largest accepted file: 100 MB.</summary>
    public const long MaxFileSize = 100L * 1024 * 1024;

    /// <summary>Request body limit of the upload endpoint: the largest file plus 1 MB for the multipart framing.</summary>
    public const long MaxRequestBodySize = MaxFileSize + (1024 * 1024);

    public const int MaxFileNameLength = 100;
}
