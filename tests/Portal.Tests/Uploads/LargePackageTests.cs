using System.Net;
using System.Net.Http.Json;
using Portal.Packages;
using Portal.Testing;
using Portal.Uploads;
using Portal.Tests.TestHost;

namespace Portal.Tests.Uploads;

/// <summary>Tencent's 100 MB limit at the upload endpoint, with real bodies streamed over loopback.</summary>
public sealed class LargePackageTests(PortalFixture fixture) : IClassFixture<PortalFixture>
{
    private readonly PortalFactory _factory = fixture.Factory;

    [Fact]
    public async Task A_package_of_exactly_100_MB_is_staged_and_validated_and_one_byte_more_is_refused()
    {
        using var client = await BrowserSession.SignInAsync(_factory, "mia", "/upload");
        var token = await BrowserSession.AntiforgeryTokenAsync(client, "/upload");

        using var atLimit = await PostAsync(client, token, "big.txt", PackageRules.MaxPackageBytes);
        using var overLimit = await PostAsync(client, token, "bigger.txt", PackageRules.MaxPackageBytes + 1);

        Assert.Equal(HttpStatusCode.OK, atLimit.StatusCode);
        var receipt = (await atLimit.Content.ReadFromJsonAsync<UploadReceipt>())!;
        Assert.Equal(PackageRules.MaxPackageBytes, receipt.Size);
        Assert.True(receipt.Report.OriginalSendable, receipt.Report.Summary);
        // 8,065,969 full lines and a last, unterminated 3-digit account.
        Assert.Equal(8_065_970, receipt.Report.ValidCount);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, overLimit.StatusCode);
        Assert.Contains("'bigger.txt' is larger than 104,857,600 bytes", await overLimit.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static Task<HttpResponseMessage> PostAsync(HttpClient client, string token, string fileName, long length)
    {
        var content = new StreamContent(new AccountStream(length));
        content.Headers.ContentLength = length;
        // As a well-behaved client of a large upload would: the refusal comes back before the body is sent.
        return BrowserSession.PostPackageAsync(client, token, fileName, content, expectContinue: true);
    }
}
