using System.Data;
using System.Text.Encodings.Web;
using System.Text.Json;
using Dapper;
using Microsoft.Data.Sqlite;
using Portal.Data;

namespace Portal.Audit;

/// <summary>
/// Appends to the audit trail. Rows are only ever inserted (triggers refuse updates and deletes); each event is chained
/// with <see cref="AuditChain"/> inside one write transaction, so concurrent writers cannot fork the chain.
/// The <c>upload_state</c> read model is kept in step with the events in the same transaction.
/// </summary>
public sealed class AuditStore(SqliteConnectionFactory connections, AuditChain chain, TimeProvider clock)
{
    private static readonly JsonSerializerOptions CanonicalJson = new(JsonSerializerDefaults.Web)
    {
        // Readable in the sqlite3 shell; the chain covers the exact stored text, so any stable encoding will do.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private const string InsertUpload = """
        INSERT INTO uploads (id, received_at, user_id, user_name, user_email, user_issuer, client_ip, user_agent, tencent_app,
            tencent_region, package_kind, file_name, file_size, sha256, row_count, valid_count, invalid_count, duplicate_count,
            original_sendable, clean_file_name, clean_size, clean_sha256, clean_account_count, validation_summary, validation_ms)
        VALUES (@Id, @ReceivedAt, @UserId, @UserName, @UserEmail, @UserIssuer, @ClientIp, @UserAgent, @TencentApp,
            @TencentRegion, @PackageKind, @FileName, @FileSize, @Sha256, @RowCount, @ValidCount, @InvalidCount, @DuplicateCount,
            @OriginalSendable, @CleanFileName, @CleanSize, @CleanSha256, @CleanAccountCount, @ValidationSummary, @ValidationMs)
        """;

    private const string SelectChainHead = """
        SELECT MAX(COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'audit_events'), 0), COALESCE(MAX(seq), 0)) AS Seq,
               (SELECT chain FROM audit_events ORDER BY seq DESC LIMIT 1) AS Chain
        FROM audit_events
        """;

    private const string InsertEvent = """
        INSERT INTO audit_events (seq, occurred_at, kind, actor_id, actor_name, upload_id, data, chain)
        VALUES (@Seq, @OccurredAt, @Kind, @ActorId, @ActorName, @UploadId, @Data, @Chain)
        """;

    private const string SelectStatus = "SELECT status FROM upload_state WHERE upload_id = @UploadId";

    private const string InsertState = """
        INSERT INTO upload_state (upload_id, received_at, status, last_seq) VALUES (@UploadId, @ReceivedAt, @Status, @Seq)
        """;

    private const string UpdateStatus = "UPDATE upload_state SET status = @Status, last_seq = @Seq WHERE upload_id = @UploadId";

    private const string UpdateConfirmed = """
        UPDATE upload_state SET status = @Status, last_seq = @Seq, sent_variant = @Variant, sent_sha256 = @Sha256, sent_size = @Size,
            sent_accounts = @Accounts
        WHERE upload_id = @UploadId
        """;

    private const string UpdateSending = """
        UPDATE upload_state SET status = @Status, last_seq = @Seq, attempts = attempts + 1, tencent_upload_id = NULL, ret_code = NULL,
            http_status = NULL, message = NULL, send_ms = NULL
        WHERE upload_id = @UploadId
        """;

    private const string UpdateOutcome = """
        UPDATE upload_state SET status = @Status, last_seq = @Seq, tencent_upload_id = @TencentUploadId, ret_code = @RetCode,
            http_status = @HttpStatus, message = @Message, send_ms = @DurationMs
        WHERE upload_id = @UploadId
        """;

    private const string UpdatePurged = "UPDATE upload_state SET staged_purged = 1, last_seq = @Seq WHERE upload_id = @UploadId";

    /// <summary>Records a received package, its "received" event (fingerprinting the row) and its verdict, as one transaction.</summary>
    public async Task RecordReceivedAsync(UploadRecord upload, AuditActor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(upload);
        await InWriteTransactionAsync(async (connection, transaction) =>
        {
            // Dapper binds Guid and DateTime itself, ignoring type handlers, so those two are converted here.
            var parameters = new DynamicParameters(upload);
            parameters.Add(nameof(UploadRecord.Id), DbFormat.Key(upload.Id));
            parameters.Add(nameof(UploadRecord.ReceivedAt), DbFormat.Timestamp(upload.ReceivedAt));
            await connection.ExecuteAsync(InsertUpload, parameters, transaction);
            await AppendAsync(connection, transaction, upload.ReceivedAt, AuditEventKinds.Received, actor, upload.Id,
                new { fingerprint = AuditChain.Fingerprint(upload) });
            await AppendAsync(connection, transaction, upload.ReceivedAt, upload.Accepted ? AuditEventKinds.Validated : AuditEventKinds.Rejected,
                actor, upload.Id, new { summary = upload.ValidationSummary, validationMs = upload.ValidationMs });
            return true;
        }, cancellationToken);
    }

    /// <summary>
    /// Appends one or more events to an upload, in order, only when its current status is one of <paramref name="expectedStatuses"/>;
    /// false (and nothing written) otherwise. The check and the inserts share one write transaction.
    /// </summary>
    public Task<bool> TryAppendAsync(Guid uploadId, IReadOnlyCollection<string> expectedStatuses, AuditActor actor,
        IReadOnlyList<(string Kind, object Details)> events, CancellationToken cancellationToken = default) =>
        InWriteTransactionAsync(async (connection, transaction) =>
        {
            var status = await connection.QuerySingleOrDefaultAsync<string>(SelectStatus, new { UploadId = DbFormat.Key(uploadId) }, transaction);
            if (status is null || !expectedStatuses.Contains(status))
            {
                return false;
            }

            var now = clock.GetUtcNow().UtcDateTime;
            foreach (var (kind, details) in events)
            {
                await AppendAsync(connection, transaction, now, kind, actor, uploadId, details);
            }

            return true;
        }, cancellationToken);

    /// <summary>Appends an event that does not depend on an upload's status (downloads, exports, sign-ins, verifications).</summary>
    public Task AppendAsync(string kind, AuditActor actor, Guid? uploadId, object details, CancellationToken cancellationToken = default) =>
        InWriteTransactionAsync(async (connection, transaction) =>
        {
            await AppendAsync(connection, transaction, clock.GetUtcNow().UtcDateTime, kind, actor, uploadId, details);
            return true;
        }, cancellationToken);

    private async Task AppendAsync(SqliteConnection connection, IDbTransaction transaction, DateTime occurredAt, string kind,
        AuditActor actor, Guid? uploadId, object details)
    {
        var head = await connection.QuerySingleAsync<(long Seq, string? Chain)>(SelectChainHead, transaction: transaction);
        var seq = head.Seq + 1;
        var occurred = DbFormat.Timestamp(occurredAt);
        var upload = uploadId is { } id ? DbFormat.Key(id) : null;
        var data = JsonSerializer.Serialize(details, CanonicalJson);
        var link = chain.Link(head.Chain ?? AuditChain.Genesis, seq, occurred, kind, actor.Id, actor.Name, upload, data);
        await connection.ExecuteAsync(InsertEvent, new
        {
            Seq = seq,
            OccurredAt = occurred,
            Kind = kind,
            ActorId = actor.Id,
            ActorName = actor.Name,
            UploadId = upload,
            Data = data,
            Chain = link,
        }, transaction);

        if (upload is not null)
        {
            await ProjectAsync(connection, transaction, seq, occurred, kind, upload, details);
        }
    }

    /// <summary>Keeps <c>upload_state</c> equal to what the upload's events say.</summary>
    private static Task ProjectAsync(SqliteConnection connection, IDbTransaction transaction, long seq, string occurred, string kind, string uploadId, object details)
    {
        var state = new DynamicParameters(details is SendChoice or SendOutcomeDetails ? details : null);
        state.AddDynamicParams(new { UploadId = uploadId, Seq = seq, Status = kind, ReceivedAt = occurred });
        var sql = kind switch
        {
            AuditEventKinds.Received => InsertState,
            AuditEventKinds.Confirmed or AuditEventKinds.Retried => UpdateConfirmed,
            AuditEventKinds.Sending => UpdateSending,
            AuditEventKinds.Sent or AuditEventKinds.Failed or AuditEventKinds.Interrupted => UpdateOutcome,
            AuditEventKinds.StagedFilePurged => UpdatePurged,
            _ when AuditEventKinds.SetsStatus(kind) => UpdateStatus,
            _ => null,
        };
        return sql is null ? Task.CompletedTask : connection.ExecuteAsync(sql, state, transaction);
    }

    private async Task<T> InWriteTransactionAsync<T>(Func<SqliteConnection, IDbTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        // BEGIN IMMEDIATE (deferred: false) takes the write lock before the chain head is read, so two writers cannot both
        // extend the same link; a competing writer waits up to the connection's busy timeout.
        await using var transaction = connection.BeginTransaction(deferred: false);
        var result = await work(connection, transaction);
        if (result is false)
        {
            await transaction.RollbackAsync(cancellationToken);
            return result;
        }

        await transaction.CommitAsync(cancellationToken);
        return result;
    }
}
