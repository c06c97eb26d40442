using Dapper;
using Microsoft.Extensions.Options;
using Portal.Audit;
using Portal.Auth;
using Portal.Data;
using Portal.Tencent;
using Portal.Uploads;
using static Portal.Data.StorageProvider;

namespace Portal.Tests.Uploads;

/// <summary>
/// Checking a staged file again with other choices: one domain action that re-runs the validator on the original, replaces
/// the clean package and problem report, records the new verdict as an event the state is derived from, and is allowed
/// only before any send and only to whoever may send it. On SQLite and on PostgreSQL.
/// </summary>
public sealed class RecheckTests
{
    private const string CrmExport = "Customer ID,Name,E-mail\nc-1001,Alice Li,alice@example.com\nc-1002,Bob Wang,bob@example.com\nc-1003,Carol,\n";
    private static readonly PortalUser Mia = new("dev-mia", "Mia Marketing", null, "issuer", IsUploader: true);
    private static readonly PortalUser Olivia = new("dev-olivia", "Olivia Owner", null, "issuer", IsUploader: true);
    private static readonly PortalUser Aaron = new("dev-aaron", "Aaron Auditor", null, "issuer", IsAuditor: true);

    [Theory, Store(Sqlite), Store(PostgreSql)]
    public async Task A_crm_export_refused_at_first_is_sent_as_its_chosen_column(StorageProvider provider)
    {
        using var scene = await Scene.CreateAsync(provider);
        var upload = await scene.ReceiveAsync("crm.csv", CrmExport);
        Assert.Equal(UploadStatus.Rejected, (await scene.StateAsync(upload)).Status);

        var result = await scene.Uploads.RecheckAsync(upload.Id, new RecheckOptions(HeaderRow: true, AccountColumn: 3), Mia);

        var clean = result.Receipt!.Report.CleanPackage!;
        Assert.Equal(2, clean.AccountCount);
        Assert.Equal("alice@example.com\nbob@example.com\n", await File.ReadAllTextAsync(scene.Staging.CleanPathOf(upload.Id)));
        Assert.Contains("4,,is blank: it is left out of the clean package", await File.ReadAllTextAsync(scene.Staging.ProblemReportPathOf(upload.Id)));
        var state = await scene.StateAsync(upload);
        Assert.Equal((UploadStatus.Validated, "header row; column 3", clean.Sha256), (state.Status, state.RecheckOptions, state.RecheckCleanSha256));
        Assert.Null(StagedPackage.Of(state.Checked(upload), SendVariant.Original, scene.Staging));
        // The counts the detail page and the API show come from the re-check and add up to the rows.
        var counted = state.Checked(upload);
        Assert.Equal((2L, 0L, 1L, true), (counted.ValidCount, counted.InvalidCount, counted.BlankRowCount, counted.HeaderRow));
        Assert.Equal(counted.RowCount, counted.ValidCount + counted.InvalidCount + counted.BlankRowCount + 1);

        Assert.True((await scene.Uploads.SendAsync(upload.Id, SendVariant.Clean, Mia)).Done);
        var sent = await scene.StateAsync(upload);
        Assert.Equal((UploadStatus.Queued, clean.Sha256, 2L), (sent.Status, sent.SentSha256, sent.SentAccounts));
        Assert.True((await scene.Storage.Integrity.VerifyAsync()).Intact);
        await using var connection = await scene.Storage.Connections.OpenAsync();
        Assert.Contains("\"accountColumn\":3", await connection.ExecuteScalarAsync<string>(
            "SELECT data FROM audit_events WHERE kind = 'rechecked' AND actor_id = 'dev-mia'"), StringComparison.Ordinal);
    }

    [Theory, Store(Sqlite), Store(PostgreSql)]
    public async Task Once_a_send_was_asked_for_the_check_no_longer_changes(StorageProvider provider)
    {
        using var scene = await Scene.CreateAsync(provider);
        var upload = await scene.ReceiveAsync("accounts.txt", "account\nalice\nbob\n");
        Assert.True((await scene.Uploads.SendAsync(upload.Id, SendVariant.Original, Mia)).Done);
        var before = await File.ReadAllTextAsync(scene.Staging.ProblemReportPathOf(upload.Id));

        var result = await scene.Uploads.RecheckAsync(upload.Id, new RecheckOptions(HeaderRow: true), Mia);

        Assert.Equal("This upload's send was already asked for: its check can no longer change.", result.Refusal);
        Assert.Equal(before, await File.ReadAllTextAsync(scene.Staging.ProblemReportPathOf(upload.Id)));
        Assert.Null((await scene.StateAsync(upload)).RecheckOptions);

        // The refusal is told in the reader's language.
        System.Globalization.CultureInfo.CurrentUICulture = System.Globalization.CultureInfo.GetCultureInfo("zh-CN");
        Assert.Equal("此上传已请求发送：它的检查结果不能再更改。", (await scene.Uploads.RecheckAsync(upload.Id, new RecheckOptions(HeaderRow: true), Mia)).Refusal);
    }

    [Theory, Store(Sqlite)]
    public async Task Only_the_uploader_may_check_again(StorageProvider provider)
    {
        using var scene = await Scene.CreateAsync(provider);
        var upload = await scene.ReceiveAsync("accounts.txt", "account\nalice\nbob\n");

        foreach (var other in new[] { Olivia, Aaron, Mia with { IsUploader = false } })
        {
            Assert.Equal("There is no such upload.", (await scene.Uploads.RecheckAsync(upload.Id, new RecheckOptions(HeaderRow: true), other)).Refusal);
        }

        Assert.Null((await scene.StateAsync(upload)).RecheckOptions);
    }

    [Theory, Store(Sqlite)]
    public async Task Toggling_the_header_back_and_forth_ends_where_it_began_and_the_state_replays(StorageProvider provider)
    {
        using var scene = await Scene.CreateAsync(provider);
        var upload = await scene.ReceiveAsync("accounts.txt", "account\nalice\nbob\nbob\n");
        var first = await File.ReadAllBytesAsync(scene.Staging.CleanPathOf(upload.Id));

        var skipped = await scene.Uploads.RecheckAsync(upload.Id, new RecheckOptions(HeaderRow: true), Mia);
        Assert.Equal("alice\nbob\n", await File.ReadAllTextAsync(scene.Staging.CleanPathOf(upload.Id)));
        var kept = await scene.Uploads.RecheckAsync(upload.Id, new RecheckOptions(HeaderRow: false), Mia);

        Assert.Equal(2, skipped.Receipt!.Report.CleanPackage!.AccountCount);
        Assert.Equal(3, kept.Receipt!.Report.CleanPackage!.AccountCount);
        Assert.Equal(first, await File.ReadAllBytesAsync(scene.Staging.CleanPathOf(upload.Id)));
        Assert.Equal(kept.Receipt.Report.CleanPackage.Sha256, (await scene.StateAsync(upload)).RecheckCleanSha256);
        Assert.Equal([upload.Id.ToString("N")], Directory.GetFiles(scene.Storage.Options.Value.StagingDirectory).Select(Path.GetFileName).Select(name => name![..32]).Distinct());

        await scene.Storage.TamperAsync("DELETE FROM upload_state");
        await using (var connection = await scene.Storage.Connections.OpenAsync())
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await new UploadStateRebuild().RunAsync(connection, transaction);
            await transaction.CommitAsync();
        }

        Assert.True((await scene.Storage.Integrity.VerifyAsync()).Intact);
        Assert.Equal("no header row", (await scene.StateAsync(upload)).RecheckOptions);
    }

    [Theory, Store(Sqlite)]
    public async Task A_check_that_leaves_nothing_to_send_rejects_the_upload_and_removes_its_clean_package(StorageProvider provider)
    {
        using var scene = await Scene.CreateAsync(provider);
        var upload = await scene.ReceiveAsync("crm.csv", CrmExport);
        Assert.NotNull((await scene.Uploads.RecheckAsync(upload.Id, new RecheckOptions(true, 1), Mia)).Receipt);
        Assert.True(File.Exists(scene.Staging.CleanPathOf(upload.Id)));

        var result = await scene.Uploads.RecheckAsync(upload.Id, new RecheckOptions(true, 7), Mia);

        Assert.Null(result.Receipt!.Report.CleanPackage);
        Assert.False(File.Exists(scene.Staging.CleanPathOf(upload.Id)));
        Assert.Equal(UploadStatus.Rejected, (await scene.StateAsync(upload)).Status);
        Assert.False((await scene.Uploads.SendAsync(upload.Id, SendVariant.Clean, Mia)).Done);
    }

    [Theory, Store(Sqlite), Store(PostgreSql)]
    public async Task An_earlier_send_is_found_by_the_hash_of_the_rechecked_package_it_sent(StorageProvider provider)
    {
        using var scene = await Scene.CreateAsync(provider);
        var first = await scene.ReceiveAsync("crm.csv", CrmExport);
        var firstClean = (await scene.Uploads.RecheckAsync(first.Id, new RecheckOptions(true, 3), Mia)).Receipt!.Report.CleanPackage!;
        Assert.True((await scene.Uploads.SendAsync(first.Id, SendVariant.Clean, Mia)).Done);
        await scene.Storage.RecordAsync(first.Id, AuditActor.System, new SendStarted(1));
        await scene.Storage.RecordAsync(first.Id, AuditActor.System, new SendSucceeded(777, 0, "", 200, null, 5, false));
        var second = await scene.ReceiveAsync("crm-again.csv", CrmExport);
        var secondClean = (await scene.Uploads.RecheckAsync(second.Id, new RecheckOptions(true, 3), Mia)).Receipt!.Report.CleanPackage!;

        var earlier = await new EarlierSends(scene.Storage.Connections, scene.Storage.Search).FindAsync("Campaigns", [second.Sha256, secondClean.Sha256], second.Id, 5);

        Assert.Equal(firstClean.Sha256, secondClean.Sha256);
        var found = Assert.Single(earlier);
        Assert.Equal((first.Id, 777L, "Mia Marketing"), (found.Upload.Id, found.State.TencentUploadId!.Value, found.Upload.UserName));
        Assert.Empty(await new EarlierSends(scene.Storage.Connections, scene.Storage.Search).FindAsync("Other app", [secondClean.Sha256], second.Id, 5));
    }

    /// <summary>A store, a staging folder and the upload service, with packages received and checked as the portal does.</summary>
    private sealed class Scene : IDisposable
    {
        private Scene(TestStorage storage)
        {
            Storage = storage;
            Staging = new StagingStore(storage.Options);
            Uploads = new UploadService(storage.Store, storage.Search, storage.Trail, Staging,
                Options.Create(new TencentOptions { Apps = [new TencentAppOptions { Name = "Campaigns" }] }), new SendSignals());
        }

        public TestStorage Storage { get; }

        public StagingStore Staging { get; }

        public UploadService Uploads { get; }

        public static async Task<Scene> CreateAsync(StorageProvider provider) => new(await TestStorage.CreateAsync(provider));

        public async Task<UploadRecord> ReceiveAsync(string fileName, string content) => (await Storage.ReceiveAsync(Staging, fileName, content)).Upload;

        public async Task<UploadState> StateAsync(UploadRecord upload) => (await Storage.Search.FindAsync(upload.Id))!.State;

        public void Dispose() => Storage.Dispose();
    }
}
