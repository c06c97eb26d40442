using Microsoft.Extensions.Options;
using Portal.Audit;
using Portal.Auth;
using Portal.Tencent;
using Portal.Uploads;

namespace Portal.Tests.Uploads;

/// <summary>Who may do what with an upload, decided in the domain from the user's roles, and enforced by every action.</summary>
public sealed class UploadAccessTests : IAsyncLifetime
{
    private const string Owner = "dev-mia";
    private static readonly PortalUser OwnerUploader = new(Owner, "Mia Marketing", null, "issuer", IsUploader: true);
    private static readonly PortalUser OwnerWithoutRole = new(Owner, "Mia Marketing", null, "issuer");
    private static readonly PortalUser OtherUploader = new("dev-olivia", "Olivia Owner", null, "issuer", IsUploader: true);
    private static readonly PortalUser Auditor = new("dev-aaron", "Aaron Auditor", null, "issuer", IsAuditor: true);

    private TestStorage _storage = default!;
    private UploadService _uploads = default!;
    private StagingStore _staging = default!;

    public static TheoryData<string, bool, bool, bool, bool, bool> Matrix => new()
    {
        // user,                 upload, see,   send,  retry/cancel, sent file
        { nameof(OwnerUploader), true, true, true, true, false },
        { nameof(OwnerWithoutRole), false, false, false, false, false },
        { nameof(OtherUploader), true, false, false, false, false },
        { nameof(Auditor), false, true, false, true, true },
    };

    public async Task InitializeAsync()
    {
        _storage = await TestStorage.CreateAsync();
        _staging = new StagingStore(_storage.Options);
        _uploads = new UploadService(_storage.Store, _storage.Search, _storage.Trail, _staging,
            Options.Create(new TencentOptions { Apps = [new TencentAppOptions { Name = "Campaigns" }] }), new SendSignals());
    }

    public Task DisposeAsync()
    {
        _storage.Dispose();
        return Task.CompletedTask;
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task Each_role_may_do_exactly_what_the_matrix_says(string userName, bool upload, bool see, bool send, bool retryOrCancel, bool sentFile)
    {
        var user = UserNamed(userName);
        var record = await _storage.RecordAsync(TestStorage.Upload(userId: Owner));

        Assert.Equal(
            (upload, see, send, retryOrCancel, sentFile),
            (UploadAccess.CanUpload(user), UploadAccess.CanSee(user, record), UploadAccess.CanSend(user, record),
                UploadAccess.CanRetryOrCancel(user, record), UploadAccess.CanDownloadSentFile(user)));
        Assert.Equal(see, await _uploads.FindAsync(record.Id, user) is not null);
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task A_failed_send_is_retried_only_by_those_the_matrix_allows(string userName, bool upload, bool see, bool send, bool retryOrCancel, bool sentFile)
    {
        _ = (upload, see, send, sentFile);
        var record = await FailedUploadAsync();

        var retry = await _uploads.RetryAsync(record.Id, UserNamed(userName));

        Assert.Equal(retryOrCancel, retry.Done);
        Assert.Equal(retryOrCancel ? UploadStatus.Queued : UploadStatus.Failed, (await _storage.Search.FindAsync(record.Id))!.State.Status);
        if (!retryOrCancel)
        {
            Assert.Equal("There is no such upload.", retry.Message);
        }
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task A_queued_send_is_cancelled_only_by_those_the_matrix_allows(string userName, bool upload, bool see, bool send, bool retryOrCancel, bool sentFile)
    {
        _ = (upload, see, send, sentFile);
        var record = await FailedUploadAsync();
        Assert.True((await _uploads.RetryAsync(record.Id, OwnerUploader)).Done);

        var cancel = await _uploads.CancelAsync(record.Id, UserNamed(userName));

        Assert.Equal(retryOrCancel, cancel.Done);
        Assert.Equal(retryOrCancel ? UploadStatus.Cancelled : UploadStatus.Queued, (await _storage.Search.FindAsync(record.Id))!.State.Status);
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task The_first_send_and_the_downloads_follow_the_matrix(string userName, bool upload, bool see, bool send, bool retryOrCancel, bool sentFile)
    {
        _ = (upload, retryOrCancel);
        var user = UserNamed(userName);
        var unsent = await StagedUploadAsync();
        var queued = await StagedUploadAsync();
        Assert.True((await _uploads.SendAsync(queued.Id, SendVariant.Original, OwnerUploader)).Done);

        var first = await _uploads.SendAsync(unsent.Id, SendVariant.Original, user);
        var problemReport = await _uploads.ProblemReportAsync(queued.Id, user);
        var sentDownload = await _uploads.SentFileAsync(queued.Id, user);

        Assert.Equal(send, first.Done);
        Assert.Equal(see, problemReport is not null);
        Assert.Equal(sentFile, sentDownload is not null);
    }

    private static PortalUser UserNamed(string name) => name switch
    {
        nameof(OwnerUploader) => OwnerUploader,
        nameof(OwnerWithoutRole) => OwnerWithoutRole,
        nameof(OtherUploader) => OtherUploader,
        nameof(Auditor) => Auditor,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
    };

    /// <summary>An upload of Mia's with its original and problem report on disk.</summary>
    private async Task<UploadRecord> StagedUploadAsync()
    {
        var staged = (await _staging.StageAsync(new MemoryStream("alice\nbob\n"u8.ToArray()), CancellationToken.None))!;
        await File.WriteAllTextAsync(_staging.ProblemReportPathOf(staged.Id), "line,value,reason\n");
        return await _storage.RecordAsync(TestStorage.Upload(userId: Owner) with { Id = staged.Id, Sha256 = staged.Sha256, FileSize = staged.Size });
    }

    /// <summary>Mia's upload whose first send failed.</summary>
    private async Task<UploadRecord> FailedUploadAsync()
    {
        var record = await StagedUploadAsync();
        await _storage.RecordAsync(record.Id, OwnerUploader.Actor, new SendConfirmed(SendVariant.Original, record.Sha256, record.FileSize, 2));
        await _storage.RecordAsync(record.Id, AuditActor.System, new SendStarted(1));
        await _storage.RecordAsync(record.Id, AuditActor.System, new SendFailed(null, null, null, 503, "Tencent Push failed with HTTP 503.", 10, true));
        return record;
    }
}
