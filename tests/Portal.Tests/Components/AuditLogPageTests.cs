using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Portal.Audit;
using Portal.Auth;

namespace Portal.Tests.Components;

public sealed class AuditLogPageTests : PortalComponentTest
{
    private TestStorage _storage = default!;

    public override async Task InitializeAsync()
    {
        _storage = await TestStorage.CreateAsync();
        Services.AddSingleton(_storage.Audit);
        SignIn("aaron", PortalRoles.Auditor);
        RenderPopoverProvider();
    }

    protected override Task DisposeTestResourcesAsync()
    {
        _storage.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public void Empty_log_says_so()
    {
        var cut = Render<AuditLogPage>();

        cut.WaitForElement("[data-testid=audit-empty]");
    }

    [Fact]
    public async Task Rows_show_newest_first_with_outcome_and_uploadId()
    {
        var older = await RecordAsync("older.txt", DateTime.UtcNow.AddMinutes(-5), accepted: true);
        await _storage.Audit.TryAppendEventAsync(new NewUploadEvent(older, DateTime.UtcNow, UploadEventKind.Sending, "dev-mia"), UploadEventKind.Accepted);
        await _storage.Audit.TryAppendEventAsync(new NewUploadEvent(older, DateTime.UtcNow, UploadEventKind.Sent, "dev-mia", TencentUploadId: 777), UploadEventKind.Sending);
        await RecordAsync("newer.csv", DateTime.UtcNow, accepted: false);

        var cut = Render<AuditLogPage>();

        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-testid=audit-status]").Count));
        Assert.Equal(["rejected", "sent"], cut.FindAll("[data-testid=audit-status]").Select(e => e.TextContent.Trim()));
        Assert.Equal(["—", "777"], cut.FindAll("[data-testid=audit-upload-id]").Select(e => e.TextContent.Trim()));
        Assert.True(cut.Markup.IndexOf("newer.csv", StringComparison.Ordinal) < cut.Markup.IndexOf("older.txt", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_grid_is_paged_on_the_server()
    {
        for (var i = 0; i < 30; i++)
        {
            await RecordAsync($"file-{i:D2}.txt", DateTime.UtcNow.AddSeconds(i), accepted: true);
        }

        var cut = Render<AuditLogPage>();

        cut.WaitForAssertion(() => Assert.Equal(25, cut.FindAll("[data-testid=audit-status]").Count));
        Assert.Contains("file-29.txt", cut.Markup, StringComparison.Ordinal);
        Assert.DoesNotContain("file-04.txt", cut.Markup, StringComparison.Ordinal);
        Assert.Contains("of 30", cut.Markup, StringComparison.Ordinal);
    }

    private async Task<Guid> RecordAsync(string fileName, DateTime receivedAt, bool accepted)
    {
        var id = Guid.NewGuid();
        await _storage.Audit.RecordReceivedAsync(new NewUpload(id, receivedAt, "dev-mia", "Mia Marketing", "mia@example.com", "Campaigns",
            fileName, 12, new string('c', 64), 2, accepted, accepted ? "2 accounts, no problems" : "1 problem(s)"));
        return id;
    }
}
