using System.Collections.Frozen;

namespace Portal.Tencent;

/// <summary>
/// Tencent Push's documented server error codes (docs/tpns-api.md §4), each turned into what happened and what the user
/// or an administrator should do.
/// </summary>
internal static class TencentRetCodes
{
    public const int Success = 0;
    public const int RequestTooFast = 1008028;

    private const string RequestAltered =
        "Your file is not the cause: ask an administrator to check whether a proxy between the portal and Tencent alters requests.";

    private static readonly FrozenDictionary<int, Advice> Upload = new Dictionary<int, Advice>
    {
        [1008001] = new(TencentFailureKind.Unexpected, "parameter parse error",
            _ => "Tencent Push could not parse the portal's upload request", RequestAltered),
        [1008002] = new(TencentFailureKind.Unexpected, "missing parameter",
            _ => "Tencent Push says the upload request lacks a required parameter", RequestAltered),
        [1008003] = new(TencentFailureKind.Configuration, "auth failure",
            app => $"Tencent Push refused the credentials of app '{app}'",
            "Ask an administrator to check its AccessID and SecretKey (Tencent Push console, Configuration Management > Basic Configuration)."),
        [1008004] = new(TencentFailureKind.Unavailable, "invoke service error",
            _ => "Tencent Push had an internal error and did not keep the package",
            "Send it again in a few minutes; if this keeps happening, ask an administrator to check Tencent's service status."),
        [1008007] = new(TencentFailureKind.Package, "invalid parameter",
            _ => "Tencent Push refused the upload as invalid, usually because of the file's name or format",
            "Check that it is a .txt, .csv or .zip file with a name of 1 to 100 characters, then upload it again."),
        [1008011] = new(TencentFailureKind.Package, "upload file error",
            _ => "Tencent Push could not take the file",
            "Check that it is a UTF-8 .txt or a one-column .csv (or a .zip holding exactly one of them and no folders) "
            + "with one entry per line and under 100 MB, then upload it again."),
        [1008012] = new(TencentFailureKind.Package, "upload empty file",
            _ => "Tencent Push received an empty file",
            "Check that the file has entries in it, then upload it again."),
        [RequestTooFast] = new(TencentFailureKind.RateLimited, "request too fast",
            app => $"Tencent Push says the portal is sending to app '{app}' too fast", ""),
        [1008030] = new(TencentFailureKind.Configuration, "app not paid",
            app => $"Tencent says app '{app}' has not been paid for",
            "Ask an administrator to settle the app's billing in the Tencent Push console."),
        [1008031] = new(TencentFailureKind.Configuration, "app was expired",
            app => $"Tencent says app '{app}' has expired and its resources were released",
            "Ask an administrator to renew it in the Tencent Push console or to configure another app."),
        [1008035] = new(TencentFailureKind.Configuration, "accessId not correct or domain not correct",
            app => $"Tencent Push does not know app '{app}' at this access point",
            "Ask an administrator to check its AccessID, and that its Region is the access point chosen when the app was created."),
        [1010001] = new(TencentFailureKind.Configuration, "resources not deployed",
            app => $"Tencent says app '{app}' has no push resources deployed",
            "Ask an administrator to check that the app has purchased push resources."),
        [10030002] = new(TencentFailureKind.Configuration, "AccessID and AccessKey mismatch",
            app => $"Tencent says the AccessID and key of app '{app}' do not match",
            "Ask an administrator to check its AccessID and SecretKey (the server SecretKey, not the client AccessKey)."),
    }.ToFrozenDictionary();

    /// <summary>Documented codes of Tencent's other APIs: seeing one on an upload means something is off at Tencent.</summary>
    private static readonly FrozenDictionary<int, string> OtherApis = new Dictionary<int, string>
    {
        [1008006] = "invalid token",
        [1008013] = "parse certificate error",
        [1008015] = "push id not exist",
        [1008016] = "date param format error",
        [1008019] = "content may be evil",
        [1008020] = "cert bundleId error",
        [1008021] = "p12 format error",
        [1008022] = "p12 password error",
        [1008023] = "iOS push cert expired",
        [1008025] = "create app, platform exist",
        [1008026] = "batch operation partly failed",
        [1008027] = "batch operation totally failed",
        [1008029] = "token is not valid",
        [10010005] = "push target does not exist",
        [10010012] = "illegal push time",
        [10010018] = "push repeat",
        [10110008] = "no token, no account",
    }.ToFrozenDictionary();

    /// <summary>The failure for a non-zero <paramref name="retCode"/>: Tencent refused the package, so no uploadId exists.</summary>
    public static TencentUploadResult Refusal(string app, int retCode, string? errMsg, int httpStatus)
    {
        var (kind, message) = Upload.TryGetValue(retCode, out var advice)
            ? (advice.Kind, $"{advice.Problem(app)} (retCode {retCode}: {advice.ShortName}). {advice.Action}".TrimEnd())
            : OtherApis.TryGetValue(retCode, out var name)
                ? (TencentFailureKind.Unexpected,
                    $"Tencent Push answered with an error it documents for its other APIs, not for package uploads (retCode {retCode}: {name}). "
                    + "Ask an administrator to report it to Tencent support with the time of the upload.")
                : (TencentFailureKind.Unexpected,
                    $"Tencent Push refused the package with retCode {retCode}, which it does not document (it said: \"{errMsg}\"). "
                    + "Ask an administrator to look it up or report it to Tencent support.");
        return new TencentUploadResult
        {
            FailureMessage = message,
            FailureKind = kind,
            Delivery = TencentDelivery.NotDelivered,
            HttpStatus = httpStatus,
            RetCode = retCode,
            ErrMsg = errMsg,
        };
    }

    private sealed record Advice(TencentFailureKind Kind, string ShortName, Func<string, string> Problem, string Action);
}
