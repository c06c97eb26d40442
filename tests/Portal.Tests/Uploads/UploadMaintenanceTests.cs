using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Portal.Audit;
using Portal.Uploads;

namespace Portal.Tests.Uploads;

/// <summary>Retention: staged files go after their time, the record and hashes stay, and the purge is an event.</summary>
public sealed class UploadMaintenanceTests : IAsyncLifetime
{
    private TestStorage _storage = default!;
    private StagingStore _staging = default!;

    public async Task InitializeAsync()
    {
        _storage = await TestStorage.CreateAsync();
        _staging = new StagingStore(_storage.Options);
    }

    public Task DisposeAsync()
    {
        _storage.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Staged_files_older_than_the_retention_are_purged_and_the_purge_is_recorded()
    {
        var old = await StageAndRecordAsync("old.txt", age: TimeSpan.FromDays(8));
        var recent = await StageAndRecordAsync("recent.txt", age: TimeSpan.FromDays(2));

        await Maintenance().PurgeExpiredAsync(CancellationToken.None);

        Assert.False(File.Exists(_staging.PathOf(old)));
        Assert.True(File.Exists(_staging.PathOf(recent)));
        var purged = (await _storage.Search.FindAsync(old))!;
        Assert.True(purged.State.StagedPurged);
        Assert.Equal(64, purged.Upload.Sha256.Length);
        Assert.Equal("staged-file-purged", (await _storage.Search.EventsOfAsync(old))[^1].Kind);
        Assert.False((await _storage.Search.FindAsync(recent))!.State.StagedPurged);
        Assert.True((await _storage.Integrity.VerifyAsync()).Intact);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_file_waiting_to_be_sent_or_being_sent_is_never_purged(bool sending)
    {
        var id = await StageAndRecordAsync("busy.txt", age: TimeSpan.FromDays(30));
        var upload = (await _storage.Search.FindAsync(id))!.Upload;
        await _storage.RecordAsync(id, new AuditActor("dev-mia", "Mia"), new SendConfirmed(SendVariant.Original, upload.Sha256, upload.FileSize, 2));
        if (sending)
        {
            await _storage.RecordAsync(id, AuditActor.System, new SendStarted(1));
        }

        await Maintenance().PurgeExpiredAsync(CancellationToken.None);

        Assert.True(File.Exists(_staging.PathOf(id)));
        Assert.DoesNotContain(await _storage.Search.EventsOfAsync(id), e => e.Kind == "staged-file-purged");
    }

    [Fact]
    public async Task A_staged_file_left_without_an_upload_is_removed_without_an_event()
    {
        var staged = (await _staging.StageAsync(new MemoryStream("alice\n"u8.ToArray()), CancellationToken.None))!;
        File.SetLastWriteTimeUtc(staged.Path, DateTime.UtcNow.AddDays(-30));

        await Maintenance().PurgeExpiredAsync(CancellationToken.None);

        Assert.False(File.Exists(staged.Path));
        Assert.Equal(0, (await _storage.Integrity.VerifyAsync()).EventsChecked);
    }

    private UploadMaintenance Maintenance() =>
        new(_staging, _storage.Store, Options.Create(new AuditOptions()), TimeProvider.System, NullLogger<UploadMaintenance>.Instance);

    private async Task<Guid> StageAndRecordAsync(string fileName, TimeSpan age)
    {
        var staged = (await _staging.StageAsync(new MemoryStream(Encoding.UTF8.GetBytes("alice\nbob\n")), CancellationToken.None))!;
        await _storage.RecordAsync(TestStorage.Upload(fileName) with { Id = staged.Id, Sha256 = staged.Sha256, FileSize = staged.Size });
        File.SetLastWriteTimeUtc(staged.Path, DateTime.UtcNow - age);
        return staged.Id;
    }
}
