using System.Globalization;
using Dapper;
using Microsoft.Data.Sqlite;
using Portal.Data;

namespace Portal.Audit;

/// <summary>Reads and appends the upload audit trail. Rows are only ever inserted; triggers refuse updates and deletes.</summary>
public sealed class AuditStore(SqliteConnectionFactory connections)
{
    private const string InsertUpload = """
        INSERT INTO uploads (id, received_at, user_id, user_name, user_email, tencent_app, file_name, file_size, sha256,
                             row_count, validation_outcome, validation_summary)
        VALUES (@Id, @ReceivedAt, @UserId, @UserName, @UserEmail, @TencentApp, @FileName, @FileSize, @Sha256,
                @RowCount, @Outcome, @ValidationSummary)
        """;

    private const string InsertEvent = """
        INSERT INTO upload_events (upload_id, occurred_at, kind, actor_id, tencent_upload_id, ret_code, http_status, message)
        VALUES (@UploadId, @OccurredAt, @Kind, @ActorId, @TencentUploadId, @RetCode, @HttpStatus, @Message)
        """;

    private const string SelectLatestKind = "SELECT kind FROM upload_events WHERE upload_id = @UploadId ORDER BY seq DESC LIMIT 1";

    private const string EntryColumns = """
        u.id AS Id, u.received_at AS ReceivedAt, u.user_id AS UserId, u.user_name AS UserName, u.user_email AS UserEmail,
        u.tencent_app AS TencentApp, u.file_name AS FileName, u.file_size AS FileSize, u.sha256 AS Sha256,
        u.row_count AS RowCount, u.validation_summary AS ValidationSummary,
        e.kind AS Status, e.tencent_upload_id AS TencentUploadId, e.ret_code AS RetCode, e.http_status AS HttpStatus, e.message AS Message
        FROM uploads u
        JOIN upload_events e ON e.seq = (SELECT MAX(seq) FROM upload_events WHERE upload_id = u.id)
        """;

    private const string SelectPage = $"SELECT {EntryColumns} ORDER BY u.received_at DESC, u.id DESC LIMIT @Take OFFSET @Skip";

    private const string SelectById = $"SELECT {EntryColumns} WHERE u.id = @Id";

    private const string CountUploads = "SELECT COUNT(*) FROM uploads";

    static AuditStore()
    {
        SqlMapper.AddTypeHandler(new GuidAsHexHandler());
        SqlMapper.AddTypeHandler(new UtcDateTimeHandler());
    }

    /// <summary>Ids are stored as 32 lower-case hex digits, readable and searchable in the sqlite3 shell.</summary>
    internal static string Key(Guid id) => id.ToString("N");

    /// <summary>Times are stored as UTC ISO 8601 text, which sorts in time order.</summary>
    internal static string Timestamp(DateTime time) => time.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);

    // Dapper binds Guid and DateTime parameters itself, ignoring type handlers, so they are converted explicitly.
    private static object EventParameters(NewUploadEvent e) => new
    {
        UploadId = Key(e.UploadId),
        OccurredAt = Timestamp(e.OccurredAt),
        e.Kind,
        e.ActorId,
        e.TencentUploadId,
        e.RetCode,
        e.HttpStatus,
        e.Message,
    };

    /// <summary>Records a received package together with its validation verdict, as one transaction.</summary>
    public async Task RecordReceivedAsync(NewUpload upload, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(upload);
        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(InsertUpload, new
        {
            Id = Key(upload.Id),
            ReceivedAt = Timestamp(upload.ReceivedAt),
            upload.UserId,
            upload.UserName,
            upload.UserEmail,
            upload.TencentApp,
            upload.FileName,
            upload.FileSize,
            upload.Sha256,
            upload.RowCount,
            Outcome = upload.Accepted ? UploadEventKind.Accepted : UploadEventKind.Rejected,
            upload.ValidationSummary,
        }, transaction);
        await connection.ExecuteAsync(InsertEvent, EventParameters(new NewUploadEvent(
            upload.Id, upload.ReceivedAt, upload.Accepted ? UploadEventKind.Accepted : UploadEventKind.Rejected, upload.UserId,
            Message: upload.ValidationSummary)), transaction);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// Appends an event only when the upload's newest event is <paramref name="expectedCurrentKind"/>; false otherwise.
    /// The check and the insert share one write transaction, so two senders cannot both move an upload on.
    /// </summary>
    public async Task<bool> TryAppendEventAsync(NewUploadEvent uploadEvent, string expectedCurrentKind, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(uploadEvent);
        await using var connection = await connections.OpenAsync(cancellationToken);
        // BEGIN IMMEDIATE takes the write lock before the read, so the state cannot change between check and insert.
        await connection.ExecuteAsync("BEGIN IMMEDIATE");
        try
        {
            var current = await connection.QuerySingleOrDefaultAsync<string>(SelectLatestKind, new { UploadId = Key(uploadEvent.UploadId) });
            if (current != expectedCurrentKind)
            {
                await connection.ExecuteAsync("ROLLBACK");
                return false;
            }

            await connection.ExecuteAsync(InsertEvent, EventParameters(uploadEvent));
            await connection.ExecuteAsync("COMMIT");
            return true;
        }
        catch
        {
            await connection.ExecuteAsync("ROLLBACK");
            throw;
        }
    }

    public async Task<AuditEntry?> FindAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<AuditEntry>(new CommandDefinition(SelectById, new { Id = Key(id) }, cancellationToken: cancellationToken));
    }

    /// <summary>Newest first, one page at a time.</summary>
    public async Task<AuditPage> GetPageAsync(int pageIndex, int pageSize, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(pageIndex);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(pageSize);
        await using var connection = await connections.OpenAsync(cancellationToken);
        var total = await connection.ExecuteScalarAsync<int>(new CommandDefinition(CountUploads, cancellationToken: cancellationToken));
        var items = await connection.QueryAsync<AuditEntry>(new CommandDefinition(SelectPage, new { Take = pageSize, Skip = pageIndex * pageSize }, cancellationToken: cancellationToken));
        return new AuditPage(items.ToList(), total);
    }

    /// <summary>Reads ids written by <see cref="Key"/>.</summary>
    private sealed class GuidAsHexHandler : SqlMapper.TypeHandler<Guid>
    {
        public override void SetValue(System.Data.IDbDataParameter parameter, Guid value) => parameter.Value = Key(value);

        public override Guid Parse(object value) => Guid.ParseExact((string)value, "N");
    }

    /// <summary>Reads times written by <see cref="Timestamp"/> back as UTC.</summary>
    private sealed class UtcDateTimeHandler : SqlMapper.TypeHandler<DateTime>
    {
        public override void SetValue(System.Data.IDbDataParameter parameter, DateTime value) => parameter.Value = Timestamp(value);

        public override DateTime Parse(object value) =>
            DateTime.Parse((string)value, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
    }
}
