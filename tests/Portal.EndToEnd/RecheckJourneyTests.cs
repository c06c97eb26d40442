using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Portal.DevStack;

namespace Portal.EndToEnd;

/// <summary>
/// Files that need a second look, in Debian's Chromium: a CRM export whose account column is picked on the report, a file
/// with problems sent as its clean package, and the same package sent twice. What reaches the Tencent simulator is
/// checked byte for byte.
/// </summary>
public sealed class RecheckJourneyTests : ChromiumTest
{
    private static readonly IReadOnlyList<string> CrmRows =
        ["Customer ID,Name,E-mail", "c-1001,Alice Li,alice@example.com", "c-1002,\"Wang, Bob\",bob@example.com", "c-1003,Carol,", "c-1004,Dan,dan@example.com"];

    [Theory]
    [InlineData("en", "Column 3: E-mail (e.g. alice@example.com)")]
    [InlineData("zh-CN", "第 3 列：E-mail（例如 alice@example.com）")]
    public Task A_crm_export_is_sent_as_the_column_picked_on_its_report(string culture, string column) => JourneyAsync(async context =>
    {
        var page = await context.NewPageAsync();
        await page.SetViewportSizeAsync(1440, 900);
        await SignInAsync(page, "upload", "mia");
        await UploadAsync(page, "crm-export.csv", string.Join("\r\n", CrmRows) + "\r\n");
        await Expect(page.GetByTestId("rejected")).ToBeVisibleAsync();

        await page.GetByTestId("skip-header").ClickAsync();
        await Expect(page.GetByTestId("likely-header")).ToHaveCountAsync(0);
        await ChooseAsync(page, "account-column", column);

        await Expect(page.GetByTestId("clean-only")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("preview")).ToContainTextAsync("alice@example.com, bob@example.com, dan@example.com");
        await ScreenshotToDocsAsync(page, $"{culture}-column-pick.png");
        await SendAndWaitAsync(page);

        Assert.Equal(Sha256("alice@example.com\nbob@example.com\ndan@example.com\n"), Received().Single().Sha256Hex);
    }, culture);

    [Fact]
    public Task A_file_with_problems_is_sent_as_its_clean_package_without_the_values_a_spreadsheet_destroyed() => JourneyAsync(async context =>
    {
        var page = await context.NewPageAsync();
        await SignInAsync(page, "upload", "mia");
        await UploadAsync(page, "export.txt", "alice\nx\n1.23457E+15\nbob\n\nalice\n");

        await Expect(page.GetByTestId("clean-only")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("summary")).ToContainTextAsync("2 accounts will be sent");
        await Expect(page.GetByTestId("problems")).ToContainTextAsync("1.23457E+15");
        await Expect(page.GetByTestId("keep-scientific")).ToBeVisibleAsync();
        await ScreenshotAsync(page, "problems.png");
        await SendAndWaitAsync(page);

        var received = Received().Single();
        Assert.Equal((Sha256("alice\nbob\n"), "export.clean.txt"), (received.Sha256Hex, received.FileName));
    });

    [Fact]
    public Task The_same_package_sent_twice_is_warned_about_with_who_when_and_its_uploadId_and_asked_first() => JourneyAsync(async context =>
    {
        var page = await context.NewPageAsync();
        await SignInAsync(page, "upload", "mia");
        var accounts = $"e2e-{Guid.NewGuid():N}\nuser-000002\n";
        await UploadAsync(page, "weekly.txt", accounts);
        await SendAndWaitAsync(page);
        var firstUploadId = (await page.GetByTestId("upload-id").InnerTextAsync()).Trim();

        await page.GetByRole(AriaRole.Button, new() { Name = "Upload another file" }).ClickAsync();
        await UploadAsync(page, "weekly-again.txt", accounts);

        var warning = page.GetByTestId("same-file");
        await Expect(warning).ToContainTextAsync("already sent to");
        await Expect(warning).ToContainTextAsync("Mia Marketing");
        await Expect(warning).ToContainTextAsync(firstUploadId);
        await Expect(warning.Locator("time")).ToBeVisibleAsync();
        await ScreenshotAsync(page, "same-file.png");

        await page.GetByTestId("send").ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Do not send" }).ClickAsync();
        Assert.Single(Received());

        await page.GetByTestId("send").ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Send again" }).ClickAsync();
        await Expect(page.GetByTestId("send-status")).ToHaveAttributeAsync("data-status", "sent", new() { Timeout = 30_000 });
        Assert.Equal(2, Received().Count);
        Assert.NotEqual(firstUploadId, (await page.GetByTestId("upload-id").InnerTextAsync()).Trim());
    });

    private static async Task UploadAsync(IPage page, string name, string content)
    {
        await FilePickerReadyAsync(page);
        // Each file chosen gets an input of its own; the earlier ones stay, hidden.
        await page.Locator("#package-picker input[type=file]").Last.SetInputFilesAsync(new FilePayload { Name = name, MimeType = "text/plain", Buffer = Encoding.UTF8.GetBytes(content) });
        await Expect(page.GetByTestId("verdict")).ToContainTextAsync(name);
    }

    private static async Task SendAndWaitAsync(IPage page)
    {
        await page.GetByTestId("send").ClickAsync();
        await Expect(page.GetByTestId("send-status")).ToHaveAttributeAsync("data-status", "sent", new() { Timeout = 30_000 });
    }

    private IReadOnlyList<ReceivedPackage> Received() => Portal.Services.GetRequiredService<TencentSimulatorRecorder>().Received;

    private static string Sha256(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
