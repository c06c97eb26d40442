using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Portal.Tencent;

/// <summary>
/// Turns Tencent's answer into a result: HTTP 200 with JSON <c>{retCode: 0, uploadId: n &gt; 0}</c> is the only success.
/// </summary>
internal static class TencentAnswer
{
    /// <summary>Appended to every failure after which Tencent may hold the package.</summary>
    public const string MayHaveArrivedAdvice =
        "The package may have reached Tencent anyway: if you send it again, Tencent may keep two copies; use only the uploadId you are given.";

    private const int ExcerptLength = 200;

    public static TencentUploadResult Interpret(string app, int httpStatus, byte[] body)
    {
        var parsed = Parse(body);
        if (parsed is { RetCode: { } code and not TencentRetCodes.Success })
        {
            // Tencent's own refusal, whatever the HTTP status: the retCode says more.
            return TencentRetCodes.Refusal(app, code, parsed.ErrMsg, httpStatus);
        }

        if (httpStatus != 200)
        {
            return StatusFailure(app, httpStatus, body);
        }

        return parsed switch
        {
            null when IsTruncatedJson(body) => Unsure(TencentFailureKind.Unavailable, httpStatus,
                $"Tencent Push's answer was cut off: {Excerpt(body)}."),
            null => Unsure(TencentFailureKind.Unexpected, httpStatus,
                $"Tencent Push answered with something that is not JSON: {Excerpt(body)}."),
            { RetCode: null } => Unsure(TencentFailureKind.Unexpected, httpStatus,
                $"Tencent Push answered without a retCode: {Excerpt(body)}."),
            { UploadId: > 0 } => TencentUploadResult.Success(parsed.UploadId.Value, httpStatus),
            _ => Unsure(TencentFailureKind.Unexpected, httpStatus,
                $"Tencent Push reported success but gave no usable uploadId: {Excerpt(body)}.") with { RetCode = 0, ErrMsg = parsed.ErrMsg },
        };
    }

    /// <summary>A failure after which Tencent may hold the package.</summary>
    public static TencentUploadResult Unsure(TencentFailureKind kind, int? httpStatus, string problem) => new()
    {
        FailureMessage = $"{problem} {MayHaveArrivedAdvice}",
        FailureKind = kind,
        Delivery = TencentDelivery.MayHaveArrived,
        HttpStatus = httpStatus,
    };

    /// <summary>A failure after which Tencent certainly holds nothing of this attempt.</summary>
    public static TencentUploadResult NotDelivered(TencentFailureKind kind, int? httpStatus, string message) => new()
    {
        FailureMessage = message,
        FailureKind = kind,
        Delivery = TencentDelivery.NotDelivered,
        HttpStatus = httpStatus,
    };

    private static TencentUploadResult StatusFailure(string app, int status, byte[] body) => status switch
    {
        401 or 403 => NotDelivered(TencentFailureKind.Configuration, status,
            $"Tencent Push refused access for app '{app}' (HTTP {status}). Ask an administrator to check its AccessID and SecretKey, "
            + "and that its Region is the access point the app was created in."),
        404 => NotDelivered(TencentFailureKind.Configuration, status,
            $"Tencent Push has no upload service at the address configured for app '{app}' (HTTP 404). Ask an administrator to check its Region or BaseUrl."),
        413 => NotDelivered(TencentFailureKind.Package, status,
            "Tencent Push refused the file as too large (HTTP 413). Tencent takes packages under 100 MB: split the file and upload the parts."),
        429 => NotDelivered(TencentFailureKind.RateLimited, status,
            $"Tencent Push says the portal is sending to app '{app}' too fast (HTTP 429)."),
        >= 500 => Unsure(TencentFailureKind.Unavailable, status,
            $"Tencent Push failed with HTTP {status}: {Excerpt(body)}. Send the package again in a few minutes."),
        >= 200 and < 300 => Unsure(TencentFailureKind.Unexpected, status,
            $"Tencent Push answered HTTP {status} instead of 200: {Excerpt(body)}."),
        _ => NotDelivered(TencentFailureKind.Unexpected, status,
            $"Tencent Push answered HTTP {status}: {Excerpt(body)}. Ask an administrator to check the address configured for app '{app}'."),
    };

    private static Fields? Parse(byte[] body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            var root = json.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            return new Fields(
                root.TryGetProperty("retCode", out var retCode) && retCode.ValueKind == JsonValueKind.Number && retCode.TryGetInt32(out var code) ? code : null,
                root.TryGetProperty("errMsg", out var errMsg) && errMsg.ValueKind == JsonValueKind.String ? errMsg.GetString() : null,
                root.TryGetProperty("uploadId", out var uploadId) && uploadId.ValueKind == JsonValueKind.Number && uploadId.TryGetInt64(out var id) ? id : null);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Valid JSON as far as it goes, but it stops inside a value, an object or an array.</summary>
    private static bool IsTruncatedJson(byte[] body)
    {
        var reader = new Utf8JsonReader(body, isFinalBlock: false, state: default);
        try
        {
            while (reader.Read())
            {
            }
        }
        catch (JsonException)
        {
            return false;
        }

        return reader.CurrentDepth > 0 || reader.BytesConsumed < body.AsSpan().TrimEnd(" \t\r\n"u8).Length;
    }

    /// <summary>The start of the answer for messages: control characters made visible, cut at 200 characters; an HTML page only named.</summary>
    private static string Excerpt(byte[] body)
    {
        if (body.Length == 0)
        {
            return "(an empty body)";
        }

        var text = Encoding.UTF8.GetString(body);
        if (text.AsSpan().TrimStart().StartsWith("<"))
        {
            // A gateway's or captive portal's error page: its markup means nothing to the people who read the message.
            return string.Create(CultureInfo.InvariantCulture, $"an HTML page ({body.Length:N0} bytes)");
        }

        var cut = text.Length > ExcerptLength ? text[..ExcerptLength] + "…" : text;
        var builder = new StringBuilder(cut.Length + 2).Append('"');
        foreach (var character in cut)
        {
            builder.Append(char.IsControl(character) ? ' ' : character);
        }

        return builder.Append('"').ToString();
    }

    private sealed record Fields(int? RetCode, string? ErrMsg, long? UploadId);
}
