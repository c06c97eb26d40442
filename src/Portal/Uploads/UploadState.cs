using Portal.Data;

namespace Portal.Uploads;

/// <summary>
/// Where an upload stands: everything here is derived from its events by <see cref="Apply"/>, kept in <c>upload_state</c>
/// for fast lists, and checked by "Verify integrity" against the events replayed.
/// </summary>
public sealed record UploadState
{
    public UploadStatus Status { get; init; }
    public DateTime ReceivedAt { get; init; }

    /// <summary>When the upload reached its current status.</summary>
    public DateTime StatusAt { get; init; }

    /// <summary>The last event that changed this state.</summary>
    public long LastSeq { get; init; }

    public int Attempts { get; init; }
    public string? SentVariant { get; init; }
    public string? SentSha256 { get; init; }
    public long? SentSize { get; init; }
    public long? SentAccounts { get; init; }
    public long? TencentUploadId { get; init; }
    public int? RetCode { get; init; }
    public int? HttpStatus { get; init; }
    public string? Message { get; init; }
    public long? SendMs { get; init; }

    /// <summary>The last send ended without an answer after its bytes left: Tencent may hold it under an uploadId the portal never saw.</summary>
    public bool MayHaveArrived { get; init; }

    public bool StagedPurged { get; init; }

    /// <summary>The choices of the latest re-check of the staged file (<see cref="RecheckOptions.Text"/>); null while there was none.</summary>
    public string? RecheckOptions { get; init; }

    // The latest re-check's verdict and clean package, which replace the record's (see Checked).
    public bool? RecheckOriginalSendable { get; init; }
    public long? RecheckValidCount { get; init; }
    public long? RecheckDuplicateCount { get; init; }
    public string? RecheckCleanFileName { get; init; }
    public long? RecheckCleanSize { get; init; }
    public string? RecheckCleanSha256 { get; init; }
    public long? RecheckCleanAccountCount { get; init; }
    public long? RecheckInvalidCount { get; init; }
    public long? RecheckBlankRowCount { get; init; }
    public bool? RecheckHeaderRow { get; init; }

    /// <summary>
    /// The upload's packages as its latest check found them: the record's own (written once, at receipt) until the staged
    /// file was checked again, then the re-check's. Whatever offers or sends a package reads it through here.
    /// </summary>
    public UploadRecord Checked(UploadRecord upload)
    {
        ArgumentNullException.ThrowIfNull(upload);
        return RecheckOptions is null ? upload : upload with
        {
            OriginalSendable = RecheckOriginalSendable ?? false,
            ValidCount = RecheckValidCount ?? 0,
            DuplicateCount = RecheckDuplicateCount ?? 0,
            CleanFileName = RecheckCleanFileName,
            CleanSize = RecheckCleanSize,
            CleanSha256 = RecheckCleanSha256,
            CleanAccountCount = RecheckCleanAccountCount,
            InvalidCount = RecheckInvalidCount ?? 0,
            BlankRowCount = RecheckBlankRowCount ?? 0,
            HeaderRow = RecheckHeaderRow,
        };
    }

    /// <summary>The state after <paramref name="e"/>, recorded as event <paramref name="seq"/> at <paramref name="at"/>; assumes <see cref="UploadLifecycle.Next"/> allowed it.</summary>
    public UploadState Apply(UploadEvent e, long seq, DateTime at)
    {
        ArgumentNullException.ThrowIfNull(e);
        var moved = this with { LastSeq = seq };
        var status = UploadLifecycle.Next(e is UploadReceived ? null : Status, e) ?? Status;
        if (status != Status || e is UploadReceived)
        {
            moved = moved with { Status = status, StatusAt = at };
        }

        return e switch
        {
            UploadReceived => moved with { ReceivedAt = at },
            SendRequest request => moved with
            {
                SentVariant = request.Variant, SentSha256 = request.Sha256, SentSize = request.Size, SentAccounts = request.Accounts,
            },
            SendStarted => moved with
            {
                Attempts = Attempts + 1, TencentUploadId = null, RetCode = null, HttpStatus = null, Message = null, SendMs = null,
                MayHaveArrived = false,
            },
            SendOutcome outcome => moved with
            {
                TencentUploadId = outcome.TencentUploadId, RetCode = outcome.RetCode, HttpStatus = outcome.HttpStatus,
                Message = outcome.Message, SendMs = outcome.DurationMs, MayHaveArrived = outcome.MayHaveArrived,
            },
            SendCancelled cancelled => moved with { MayHaveArrived = cancelled.MayHaveArrived },
            StagedFilePurged => moved with { StagedPurged = true },
            UploadRechecked rechecked => moved with
            {
                RecheckOptions = rechecked.Options.Text, RecheckOriginalSendable = rechecked.OriginalSendable,
                RecheckValidCount = rechecked.ValidCount, RecheckDuplicateCount = rechecked.DuplicateCount,
                RecheckCleanFileName = rechecked.CleanFileName, RecheckCleanSize = rechecked.CleanSize,
                RecheckCleanSha256 = rechecked.CleanSha256, RecheckCleanAccountCount = rechecked.CleanAccountCount,
                RecheckInvalidCount = rechecked.InvalidCount, RecheckBlankRowCount = rechecked.BlankRowCount,
                RecheckHeaderRow = rechecked.HeaderRow,
            },
            _ => moved,
        };
    }

    /// <summary>The row's columns beside <c>upload_id</c>, declared once for the upsert, selects, exports and verification.</summary>
    public static readonly IReadOnlyList<DbColumn<UploadState>> Columns =
    [
        new("status", nameof(Status), s => s.Status.Text()),
        new("received_at", nameof(ReceivedAt), s => DbFormat.Timestamp(s.ReceivedAt)),
        new("status_at", nameof(StatusAt), s => DbFormat.Timestamp(s.StatusAt)),
        new("last_seq", nameof(LastSeq), s => s.LastSeq),
        new("attempts", nameof(Attempts), s => s.Attempts),
        new("sent_variant", nameof(SentVariant), s => s.SentVariant),
        new("sent_sha256", nameof(SentSha256), s => s.SentSha256),
        new("sent_size", nameof(SentSize), s => s.SentSize),
        new("sent_accounts", nameof(SentAccounts), s => s.SentAccounts),
        new("tencent_upload_id", nameof(TencentUploadId), s => s.TencentUploadId),
        new("ret_code", nameof(RetCode), s => s.RetCode),
        new("http_status", nameof(HttpStatus), s => s.HttpStatus),
        new("message", nameof(Message), s => s.Message),
        new("send_ms", nameof(SendMs), s => s.SendMs),
        new("may_have_arrived", nameof(MayHaveArrived), s => s.MayHaveArrived),
        new("staged_purged", nameof(StagedPurged), s => s.StagedPurged),
        new("recheck_options", nameof(RecheckOptions), s => s.RecheckOptions),
        new("recheck_original_sendable", nameof(RecheckOriginalSendable), s => s.RecheckOriginalSendable),
        new("recheck_valid_count", nameof(RecheckValidCount), s => s.RecheckValidCount),
        new("recheck_duplicate_count", nameof(RecheckDuplicateCount), s => s.RecheckDuplicateCount),
        new("recheck_clean_file_name", nameof(RecheckCleanFileName), s => s.RecheckCleanFileName),
        new("recheck_clean_size", nameof(RecheckCleanSize), s => s.RecheckCleanSize),
        new("recheck_clean_sha256", nameof(RecheckCleanSha256), s => s.RecheckCleanSha256),
        new("recheck_clean_account_count", nameof(RecheckCleanAccountCount), s => s.RecheckCleanAccountCount),
        new("recheck_invalid_count", nameof(RecheckInvalidCount), s => s.RecheckInvalidCount),
        new("recheck_blank_row_count", nameof(RecheckBlankRowCount), s => s.RecheckBlankRowCount),
        new("recheck_header_row", nameof(RecheckHeaderRow), s => s.RecheckHeaderRow),
    ];

    /// <summary>Writes a state row whole, inserting or replacing it (SQLite and PostgreSQL alike).</summary>
    public static readonly string Upsert = UpsertOf(Columns);

    /// <summary>Writes these columns of a state row: a migration before the latest knows only the columns it has made.</summary>
    public static string UpsertOf(IReadOnlyCollection<DbColumn<UploadState>> columns) =>
        $"INSERT INTO upload_state (upload_id, {string.Join(", ", columns.Select(c => c.Name))}) "
        + $"VALUES (@UploadId, {string.Join(", ", columns.Select(c => "@" + c.Property))}) "
        + $"ON CONFLICT (upload_id) DO UPDATE SET {string.Join(", ", columns.Select(c => $"{c.Name} = excluded.{c.Name}"))}";
}
