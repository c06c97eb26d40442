using System.Text;
using Portal.Tencent;

namespace Portal.Tests.Tencent;

/// <summary>How every answer Tencent can give is turned into a result (no network: the answer's status and bytes).</summary>
public sealed class TencentAnswerTests
{
    private const string App = "Campaigns";

    [Fact]
    public void Success_is_http_200_with_retCode_zero_and_a_positive_uploadId()
    {
        var result = Interpret(200, """{"retCode":0,"errMsg":"","uploadId":12345}""");

        Assert.True(result.Succeeded);
        Assert.Equal((12345L, 0, 200, TencentDelivery.Accepted), (result.UploadId!.Value, result.RetCode!.Value, result.HttpStatus!.Value, result.Delivery));
        Assert.Null(result.FailureKind);
    }

    [Theory]
    [InlineData(1008001, TencentFailureKind.Unexpected, "Tencent Push could not parse the portal's upload request (retCode 1008001: parameter parse error). Your file is not the cause")]
    [InlineData(1008002, TencentFailureKind.Unexpected, "Tencent Push says the upload request lacks a required parameter (retCode 1008002: missing parameter). Your file is not the cause")]
    [InlineData(1008003, TencentFailureKind.Configuration, "Tencent Push refused the credentials of app 'Campaigns' (retCode 1008003: auth failure). Ask an administrator to check its AccessID and SecretKey")]
    [InlineData(1008004, TencentFailureKind.Unavailable, "Tencent Push had an internal error and did not keep the package (retCode 1008004: invoke service error). Send it again in a few minutes")]
    [InlineData(1008007, TencentFailureKind.Package, "Tencent Push refused the upload as invalid, usually because of the file's name or format (retCode 1008007: invalid parameter). Check that it is a .txt, .csv or .zip")]
    [InlineData(1008011, TencentFailureKind.Package, "Tencent Push could not take the file (retCode 1008011: upload file error). Check that it is a UTF-8 .txt or a one-column .csv")]
    [InlineData(1008012, TencentFailureKind.Package, "Tencent Push received an empty file (retCode 1008012: upload empty file). Check that the file has entries in it")]
    [InlineData(1008028, TencentFailureKind.RateLimited, "Tencent Push says the portal is sending to app 'Campaigns' too fast (retCode 1008028: request too fast).")]
    [InlineData(1008030, TencentFailureKind.Configuration, "Tencent says app 'Campaigns' has not been paid for (retCode 1008030: app not paid). Ask an administrator to settle the app's billing")]
    [InlineData(1008031, TencentFailureKind.Configuration, "Tencent says app 'Campaigns' has expired and its resources were released (retCode 1008031: app was expired). Ask an administrator to renew it")]
    [InlineData(1008035, TencentFailureKind.Configuration, "Tencent Push does not know app 'Campaigns' at this access point (retCode 1008035: accessId not correct or domain not correct). Ask an administrator to check its AccessID, and that its Region")]
    [InlineData(1010001, TencentFailureKind.Configuration, "Tencent says app 'Campaigns' has no push resources deployed (retCode 1010001: resources not deployed). Ask an administrator to check that the app has purchased push resources.")]
    [InlineData(10030002, TencentFailureKind.Configuration, "Tencent says the AccessID and key of app 'Campaigns' do not match (retCode 10030002: AccessID and AccessKey mismatch). Ask an administrator")]
    public void Every_documented_upload_retCode_says_what_happened_and_who_does_what(int retCode, TencentFailureKind kind, string message)
    {
        var result = Interpret(200, $$"""{"retCode":{{retCode}},"errMsg":"from Tencent","uploadId":0}""");

        Assert.False(result.Succeeded);
        Assert.StartsWith(message, result.FailureMessage, StringComparison.Ordinal);
        Assert.Equal((kind, TencentDelivery.NotDelivered, retCode, "from Tencent"), (result.FailureKind!.Value, result.Delivery, result.RetCode!.Value, result.ErrMsg));
    }

    [Theory]
    [InlineData(1008011, TencentFailureKind.Package)]
    [InlineData(1008028, TencentFailureKind.RateLimited)]
    [InlineData(1008003, TencentFailureKind.Configuration)]
    [InlineData(4242, TencentFailureKind.Unexpected)]
    public void A_refusal_that_also_carries_a_positive_uploadId_is_a_failure_and_reports_no_uploadId(int retCode, TencentFailureKind kind)
    {
        var result = Interpret(200, $$"""{"retCode":{{retCode}},"errMsg":"upload file error","uploadId":5}""");

        Assert.False(result.Succeeded);
        Assert.Null(result.UploadId);
        Assert.NotNull(result.FailureMessage);
        Assert.Equal((kind, TencentDelivery.NotDelivered, retCode, "upload file error", 200),
            (result.FailureKind!.Value, result.Delivery, result.RetCode!.Value, result.ErrMsg, result.HttpStatus!.Value));
    }

    [Theory]
    [InlineData(1008006, "invalid token")]
    [InlineData(1008019, "content may be evil")]
    [InlineData(10010018, "push repeat")]
    public void A_code_Tencent_documents_for_its_other_APIs_is_named_and_reported(int retCode, string name)
    {
        var result = Interpret(200, $$"""{"retCode":{{retCode}},"errMsg":"x","uploadId":0}""");

        Assert.Equal(
            $"Tencent Push answered with an error it documents for its other APIs, not for package uploads (retCode {retCode}: {name}). "
            + "Ask an administrator to report it to Tencent support with the time of the upload.",
            result.FailureMessage);
        Assert.Equal((TencentFailureKind.Unexpected, TencentDelivery.NotDelivered), (result.FailureKind!.Value, result.Delivery));
    }

    [Fact]
    public void An_unknown_code_is_shown_with_its_number_and_Tencents_words()
    {
        var result = Interpret(200, """{"retCode":4242,"errMsg":"新的错误","uploadId":0}""");

        Assert.Equal(
            "Tencent Push refused the package with retCode 4242, which it does not document (it said: \"新的错误\"). "
            + "Ask an administrator to look it up or report it to Tencent support.",
            result.FailureMessage);
        Assert.Equal(TencentFailureKind.Unexpected, result.FailureKind);
    }

    [Fact]
    public void A_retCode_in_an_error_status_wins_over_the_status()
    {
        var result = Interpret(403, """{"retCode":1008003,"errMsg":"auth failure","uploadId":0}""");

        Assert.StartsWith("Tencent Push refused the credentials of app 'Campaigns' (retCode 1008003", result.FailureMessage, StringComparison.Ordinal);
        Assert.Equal((403, 1008003), (result.HttpStatus!.Value, result.RetCode!.Value));
    }

    [Theory]
    [InlineData(401, TencentFailureKind.Configuration, TencentDelivery.NotDelivered, "Tencent Push refused access for app 'Campaigns' (HTTP 401). Ask an administrator to check its AccessID and SecretKey")]
    [InlineData(403, TencentFailureKind.Configuration, TencentDelivery.NotDelivered, "Tencent Push refused access for app 'Campaigns' (HTTP 403). Ask an administrator to check its AccessID and SecretKey")]
    [InlineData(404, TencentFailureKind.Configuration, TencentDelivery.NotDelivered, "Tencent Push has no upload service at the address configured for app 'Campaigns' (HTTP 404).")]
    [InlineData(413, TencentFailureKind.Package, TencentDelivery.NotDelivered, "Tencent Push refused the file as too large (HTTP 413).")]
    [InlineData(429, TencentFailureKind.RateLimited, TencentDelivery.NotDelivered, "Tencent Push says the portal is sending to app 'Campaigns' too fast (HTTP 429).")]
    [InlineData(400, TencentFailureKind.Unexpected, TencentDelivery.NotDelivered, "Tencent Push answered HTTP 400: an HTML page (23 bytes). Ask an administrator to check the address")]
    [InlineData(302, TencentFailureKind.Unexpected, TencentDelivery.NotDelivered, "Tencent Push answered HTTP 302:")]
    [InlineData(500, TencentFailureKind.Unavailable, TencentDelivery.MayHaveArrived, "Tencent Push failed with HTTP 500: an HTML page (23 bytes). Send the package again in a few minutes. The package may have reached Tencent anyway")]
    [InlineData(502, TencentFailureKind.Unavailable, TencentDelivery.MayHaveArrived, "Tencent Push failed with HTTP 502:")]
    [InlineData(503, TencentFailureKind.Unavailable, TencentDelivery.MayHaveArrived, "Tencent Push failed with HTTP 503:")]
    [InlineData(204, TencentFailureKind.Unexpected, TencentDelivery.MayHaveArrived, "Tencent Push answered HTTP 204 instead of 200:")]
    public void An_http_error_has_its_own_message(int status, TencentFailureKind kind, TencentDelivery delivery, string message)
    {
        var result = Interpret(status, "<html>error page</html>");

        Assert.StartsWith(message, result.FailureMessage, StringComparison.Ordinal);
        Assert.Equal((kind, delivery, status), (result.FailureKind!.Value, result.Delivery, result.HttpStatus!.Value));
    }

    [Theory]
    [InlineData("<html>captive portal</html>", TencentFailureKind.Unexpected, "Tencent Push answered with something that is not JSON: an HTML page (27 bytes).")]
    [InlineData("", TencentFailureKind.Unexpected, "Tencent Push answered with something that is not JSON: (an empty body).")]
    [InlineData("""{"retCode":0,"errMsg":"","uplo""", TencentFailureKind.Unavailable, "Tencent Push's answer was cut off: \"{\"retCode\":0,\"errMsg\":\"\",\"uplo\".")]
    [InlineData("""{"retCode":0,"errMsg":"","uploadId":12""", TencentFailureKind.Unavailable, "Tencent Push's answer was cut off:")]
    [InlineData("""{"errMsg":""}""", TencentFailureKind.Unexpected, "Tencent Push answered without a retCode: \"{\"errMsg\":\"\"}\".")]
    [InlineData("""[0]""", TencentFailureKind.Unexpected, "Tencent Push answered with something that is not JSON: \"[0]\".")]
    [InlineData("""{"retCode":0,"errMsg":""}""", TencentFailureKind.Unexpected, "Tencent Push reported success but gave no usable uploadId: \"{\"retCode\":0,\"errMsg\":\"\"}\".")]
    [InlineData("""{"retCode":0,"errMsg":"","uploadId":0}""", TencentFailureKind.Unexpected, "Tencent Push reported success but gave no usable uploadId:")]
    [InlineData("""{"retCode":0,"errMsg":"","uploadId":-3}""", TencentFailureKind.Unexpected, "Tencent Push reported success but gave no usable uploadId:")]
    [InlineData("""{"retCode":0,"errMsg":"","uploadId":"77"}""", TencentFailureKind.Unexpected, "Tencent Push reported success but gave no usable uploadId:")]
    public void An_answer_that_is_not_a_clear_success_or_refusal_may_have_left_the_package_at_Tencent(string body, TencentFailureKind kind, string message)
    {
        var result = Interpret(200, body);

        Assert.False(result.Succeeded);
        Assert.StartsWith(message, result.FailureMessage, StringComparison.Ordinal);
        Assert.EndsWith(
            "The package may have reached Tencent anyway: if you send it again, Tencent may keep two copies; use only the uploadId you are given.",
            result.FailureMessage,
            StringComparison.Ordinal);
        Assert.Equal((kind, TencentDelivery.MayHaveArrived), (result.FailureKind!.Value, result.Delivery));
    }

    [Fact]
    public void A_long_answer_is_shown_cut_and_without_control_characters()
    {
        var result = Interpret(502, "line one\r\nline two\t" + new string('x', 500));

        Assert.Contains("\"line one  line two " + new string('x', 181) + "…\"", result.FailureMessage, StringComparison.Ordinal);
    }

    private static TencentUploadResult Interpret(int status, string body) => TencentAnswer.Interpret(App, status, Encoding.UTF8.GetBytes(body));
}
