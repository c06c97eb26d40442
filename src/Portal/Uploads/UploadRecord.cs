using Portal.Data;

namespace Portal.Uploads;

/// <summary>The facts of a received and validated package: who sent what, and what the validator found. Written once.</summary>
public sealed record UploadRecord
{
    public required Guid Id { get; init; }
    public required DateTime ReceivedAt { get; init; }
    public required string UserId { get; init; }
    public required string UserName { get; init; }
    public string? UserEmail { get; init; }
    public required string UserIssuer { get; init; }
    public string? ClientIp { get; init; }
    public string? UserAgent { get; init; }
    public required string TencentApp { get; init; }
    public required string TencentRegion { get; init; }
    public required string PackageKind { get; init; }
    public required string FileName { get; init; }
    public required long FileSize { get; init; }
    public required string Sha256 { get; init; }
    public required long RowCount { get; init; }
    public required long ValidCount { get; init; }
    public required long InvalidCount { get; init; }
    public required long DuplicateCount { get; init; }
    public required bool OriginalSendable { get; init; }
    public string? CleanFileName { get; init; }
    public long? CleanSize { get; init; }
    public string? CleanSha256 { get; init; }
    public long? CleanAccountCount { get; init; }
    public required string ValidationSummary { get; init; }
    public required long ValidationMs { get; init; }

    /// <summary>The uploader said row 1 names the column; null for uploads recorded before this was kept.</summary>
    public bool? HeaderRow { get; init; }

    /// <summary>Rows holding nothing; null for uploads recorded before this was kept.</summary>
    public long? BlankRowCount { get; init; }

    /// <summary>Something can be sent: the original as it is, or its clean package.</summary>
    public bool Accepted => OriginalSendable || CleanSha256 is not null;

    /// <summary>
    /// The row's columns, declared once for every insert, select, export and fingerprint. The first 25 are covered by the
    /// fingerprint since the first schema, in this order; a column added later gets the next fingerprint version.
    /// </summary>
    public static readonly IReadOnlyList<DbColumn<UploadRecord>> Columns =
    [
        new("id", nameof(Id), u => DbFormat.Key(u.Id)),
        new("received_at", nameof(ReceivedAt), u => DbFormat.Timestamp(u.ReceivedAt)),
        new("user_id", nameof(UserId), u => u.UserId),
        new("user_name", nameof(UserName), u => u.UserName),
        new("user_email", nameof(UserEmail), u => u.UserEmail),
        new("user_issuer", nameof(UserIssuer), u => u.UserIssuer),
        new("client_ip", nameof(ClientIp), u => u.ClientIp),
        new("user_agent", nameof(UserAgent), u => u.UserAgent),
        new("tencent_app", nameof(TencentApp), u => u.TencentApp),
        new("tencent_region", nameof(TencentRegion), u => u.TencentRegion),
        new("package_kind", nameof(PackageKind), u => u.PackageKind),
        new("file_name", nameof(FileName), u => u.FileName),
        new("file_size", nameof(FileSize), u => u.FileSize),
        new("sha256", nameof(Sha256), u => u.Sha256),
        new("row_count", nameof(RowCount), u => u.RowCount),
        new("valid_count", nameof(ValidCount), u => u.ValidCount),
        new("invalid_count", nameof(InvalidCount), u => u.InvalidCount),
        new("duplicate_count", nameof(DuplicateCount), u => u.DuplicateCount),
        new("original_sendable", nameof(OriginalSendable), u => u.OriginalSendable),
        new("clean_file_name", nameof(CleanFileName), u => u.CleanFileName),
        new("clean_size", nameof(CleanSize), u => u.CleanSize),
        new("clean_sha256", nameof(CleanSha256), u => u.CleanSha256),
        new("clean_account_count", nameof(CleanAccountCount), u => u.CleanAccountCount),
        new("validation_summary", nameof(ValidationSummary), u => u.ValidationSummary),
        new("validation_ms", nameof(ValidationMs), u => u.ValidationMs),
        new("header_row", nameof(HeaderRow), u => u.HeaderRow, Since: 2),
        new("blank_row_count", nameof(BlankRowCount), u => u.BlankRowCount, Since: 2),
    ];

    /// <summary>The fingerprint version new rows are written with: the highest <see cref="DbColumn{TRow}.Since"/>.</summary>
    public static readonly int FingerprintVersion = Columns.Max(column => column.Since);

    /// <summary>
    /// The fingerprint kept in the upload's "received" event, so the row is covered by the chain: "v2:hex" (version 1, the
    /// first schema's, is the bare hex).
    /// </summary>
    public string Fingerprint(int version)
    {
        var hash = Columns.Fingerprint(this, version);
        return version == 1 ? hash : $"v{version}:{hash}";
    }

    /// <summary>The version a stored fingerprint was made with.</summary>
    public static int FingerprintVersionOf(string fingerprint) =>
        fingerprint.StartsWith('v') && fingerprint.IndexOf(':', StringComparison.Ordinal) is > 1 and var colon
            && int.TryParse(fingerprint.AsSpan(1, colon - 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var version)
            ? version
            : 1;
}
