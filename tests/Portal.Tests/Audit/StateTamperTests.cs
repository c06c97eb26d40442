using Dapper;
using Portal.Audit;
using Portal.Uploads;

namespace Portal.Tests.Audit;

/// <summary>
/// The state table says what the pages, exports and downloads show. Each of its columns, forged alone, is found by
/// "Verify integrity" (which replays the upload's events), and the download of what was sent follows the events, not
/// the forged row.
/// </summary>
public sealed class StateTamperTests : IAsyncLifetime
{
    private TestStorage _storage = default!;
    private UploadRecord _upload = default!;

    public async Task InitializeAsync()
    {
        _storage = await TestStorage.CreateAsync();
        _upload = await _storage.RecordAsync(TestStorage.Upload("clean-me.csv", accepted: false) with
        {
            CleanFileName = "clean-me.clean.txt", CleanSize = 6, CleanSha256 = new string('c', 64), CleanAccountCount = 1,
        });
        var mia = new AuditActor("dev-mia", "Mia Marketing");
        await _storage.RecordAsync(_upload.Id, mia, new SendConfirmed(SendVariant.Clean, _upload.CleanSha256!, 6, 1));
        await _storage.RecordAsync(_upload.Id, AuditActor.System, new SendStarted(1));
        await _storage.RecordAsync(_upload.Id, AuditActor.System, new SendSucceeded(4242, 0, "", 200, null, 15, false));
    }

    public Task DisposeAsync()
    {
        _storage.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>Every column of upload_state but its key, each with a forged value of its own type.</summary>
    public static TheoryData<string, string> Forgeries => new()
    {
        { "status", "'failed'" },
        { "received_at", "'2001-01-01T00:00:00.0000000Z'" },
        { "status_at", "'2001-01-01T00:00:00.0000000Z'" },
        { "last_seq", "last_seq + 7" },
        { "attempts", "attempts + 1" },
        { "sent_variant", "'original'" },
        { "sent_sha256", "'" + new string('f', 64) + "'" },
        { "sent_size", "sent_size + 1" },
        { "sent_accounts", "sent_accounts + 100" },
        { "tencent_upload_id", "9999" },
        { "ret_code", "1008011" },
        { "http_status", "500" },
        { "message", "'Tencent accepted it twice'" },
        { "send_ms", "send_ms + 1" },
        { "may_have_arrived", "1" },
        { "staged_purged", "1" },
    };

    [Fact]
    public void Every_state_column_is_forged_by_one_case() =>
        Assert.Equal(UploadState.Columns.Select(column => column.Name).Order(), Forgeries.Select(row => (string)row[0]).Order());

    [Theory]
    [MemberData(nameof(Forgeries))]
    public async Task A_forged_state_column_is_caught_and_named(string column, string forged)
    {
        Assert.True((await _storage.Integrity.VerifyAsync()).Intact);

        _storage.Sqlite3($"UPDATE upload_state SET {column} = {forged} WHERE upload_id = '{_upload.Id:N}';");
        var report = await _storage.Integrity.VerifyAsync();

        Assert.False(report.Intact);
        Assert.StartsWith($"upload {_upload.Id:N} (clean-me.csv) shows {column} = ", report.FirstProblem, StringComparison.Ordinal);
        Assert.EndsWith(": the state was altered.", report.FirstProblem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_download_of_what_was_sent_follows_the_events_not_a_forged_state_row()
    {
        var staging = new StagingStore(_storage.Options);
        await File.WriteAllTextAsync(staging.PathOf(_upload.Id), "alice\nx\n");
        await File.WriteAllTextAsync(staging.CleanPathOf(_upload.Id), "alice\n");
        _storage.Sqlite3($"UPDATE upload_state SET sent_variant = 'original' WHERE upload_id = '{_upload.Id:N}';");
        var uploads = new UploadService(_storage.Store, _storage.Search, _storage.Trail, staging,
            Microsoft.Extensions.Options.Options.Create(new Portal.Tencent.TencentOptions()), new SendSignals());
        var aaron = new Portal.Auth.PortalUser("dev-aaron", "Aaron Auditor", null, "issuer", IsAuditor: true);

        var download = await uploads.SentFileAsync(_upload.Id, aaron);

        Assert.Equal((staging.CleanPathOf(_upload.Id), "clean-me.clean.txt"), (download?.Path, download?.FileName));
        await using var connection = await _storage.Connections.OpenAsync();
        Assert.Equal("{\"variant\":\"clean\"}", await connection.ExecuteScalarAsync<string>(
            "SELECT data FROM audit_events WHERE kind = 'sent-file-downloaded' AND actor_id = 'dev-aaron'"));
    }
}
