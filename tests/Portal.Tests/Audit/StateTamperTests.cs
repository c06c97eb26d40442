using Dapper;
using Portal.Audit;
using Portal.Data;
using Portal.Uploads;
using static Portal.Data.StorageProvider;

namespace Portal.Tests.Audit;

/// <summary>
/// The state table says what the pages, exports and downloads show. Each of its columns, forged alone, is found by
/// "Verify integrity" (which replays the upload's events), and the download of what was sent follows the events, not
/// the forged row. On SQLite and on PostgreSQL.
/// </summary>
public sealed class StateTamperTests
{
    /// <summary>A clean package sent: received as it was, checked again with its account column chosen, then confirmed, sending, sent.</summary>
    private static async Task<(TestStorage Storage, UploadRecord Upload)> SentCleanPackageAsync(StorageProvider provider)
    {
        var storage = await TestStorage.CreateAsync(provider);
        var upload = await storage.RecordAsync(TestStorage.Upload("clean-me.csv", accepted: false) with
        {
            CleanFileName = "clean-me.clean.txt", CleanSize = 6, CleanSha256 = new string('c', 64), CleanAccountCount = 1,
        });
        var mia = new AuditActor("dev-mia", "Mia Marketing");
        var recheckedSha256 = new string('d', 64);
        await storage.RecordAsync(upload.Id, mia, new UploadRechecked(true, 2, false, "rechecked", 4, false, 3, 1, "clean-me.clean.txt", 6, recheckedSha256, 1, 2, 1));
        await storage.RecordAsync(upload.Id, mia, new SendConfirmed(SendVariant.Clean, recheckedSha256, 6, 1));
        await storage.RecordAsync(upload.Id, AuditActor.System, new SendStarted(1));
        await storage.RecordAsync(upload.Id, AuditActor.System, new SendSucceeded(4242, 0, "", 200, null, 15, false));
        return (storage, upload);
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
        { "may_have_arrived", "NOT may_have_arrived" },
        { "staged_purged", "NOT staged_purged" },
        { "recheck_options", "'no header row'" },
        { "recheck_original_sendable", "NOT recheck_original_sendable" },
        { "recheck_valid_count", "recheck_valid_count + 1" },
        { "recheck_duplicate_count", "recheck_duplicate_count + 1" },
        { "recheck_clean_file_name", "'other.txt'" },
        { "recheck_clean_size", "recheck_clean_size + 1" },
        { "recheck_clean_sha256", "'" + new string('e', 64) + "'" },
        { "recheck_clean_account_count", "recheck_clean_account_count + 1" },
        { "recheck_invalid_count", "recheck_invalid_count + 1" },
        { "recheck_blank_row_count", "recheck_blank_row_count + 1" },
        { "recheck_header_row", "NOT recheck_header_row" },
    };

    [Fact]
    public void Every_state_column_is_forged_by_one_case() =>
        Assert.Equal(UploadState.Columns.Select(column => column.Name).Order(), Forgeries.Select(row => (string)row[0]).Order());

    [Theory, Store(Sqlite, nameof(Forgeries)), Store(PostgreSql, nameof(Forgeries))]
    public async Task A_forged_state_column_is_caught_and_named(StorageProvider provider, string column, string forged)
    {
        var (storage, upload) = await SentCleanPackageAsync(provider);
        using var _ = storage;
        Assert.True((await storage.Integrity.VerifyAsync()).Intact);

        await storage.TamperAsync($"UPDATE upload_state SET {column} = {forged} WHERE upload_id = '{upload.Id:N}'");
        var report = await storage.Integrity.VerifyAsync();

        Assert.False(report.Intact);
        Assert.StartsWith($"upload {upload.Id:N} (clean-me.csv) shows {column} = ", report.FirstProblem, StringComparison.Ordinal);
        Assert.EndsWith(": the state was altered.", report.FirstProblem, StringComparison.Ordinal);
    }

    [Theory, Store(Sqlite), Store(PostgreSql)]
    public async Task The_download_of_what_was_sent_follows_the_events_not_a_forged_state_row(StorageProvider provider)
    {
        var (storage, upload) = await SentCleanPackageAsync(provider);
        using var _ = storage;
        var staging = new StagingStore(storage.Options);
        await File.WriteAllTextAsync(staging.PathOf(upload.Id), "alice\nx\n");
        await File.WriteAllTextAsync(staging.CleanPathOf(upload.Id), "alice\n");
        await storage.TamperAsync($"UPDATE upload_state SET sent_variant = 'original' WHERE upload_id = '{upload.Id:N}'");
        var uploads = new UploadService(storage.Store, storage.Search, storage.Trail, staging,
            Microsoft.Extensions.Options.Options.Create(new Portal.Tencent.TencentOptions()), new SendSignals());
        var aaron = new Portal.Auth.PortalUser("dev-aaron", "Aaron Auditor", null, "issuer", IsAuditor: true);

        var download = await uploads.SentFileAsync(upload.Id, aaron);

        Assert.Equal((staging.CleanPathOf(upload.Id), "clean-me.clean.txt"), (download?.Path, download?.FileName));
        await using var connection = await storage.Connections.OpenAsync();
        Assert.Equal("{\"variant\":\"clean\"}", await connection.ExecuteScalarAsync<string>(
            "SELECT data FROM audit_events WHERE kind = 'sent-file-downloaded' AND actor_id = 'dev-aaron'"));
    }
}
