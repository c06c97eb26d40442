using System.Globalization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.WebUtilities;
using MudBlazor;

namespace Portal.Audit;

/// <summary>
/// Uploads with server-side filtering, sorting and paging: everyone's for auditors, or one uploader's own
/// (<see cref="OwnerId"/>, set by the page from the signed-in user, never from input).
/// </summary>
public sealed partial class UploadsGrid
{
    private readonly FilterFields _filter = new();
    private MudDataGrid<AuditEntry>? _grid;
    private DateTime? _from;
    private DateTime? _to;
    private AuditFilter _applied = new();

    [Parameter] public string? OwnerId { get; set; }

    private bool IsFiltered => _applied with { OwnerId = null } != new AuditFilter();

    private async Task<GridData<AuditEntry>> LoadAsync(GridState<AuditEntry> state, CancellationToken cancellationToken)
    {
        var sortDefinition = state.SortDefinitions.FirstOrDefault();
        var (sort, descending) = sortDefinition is null
            ? (AuditSort.ReceivedAt, true)
            : (SortOf(sortDefinition.SortBy), sortDefinition.Descending);
        var page = await Search.SearchAsync(_applied with { OwnerId = OwnerId }, sort, descending, state.Page, state.PageSize, cancellationToken);
        return new GridData<AuditEntry> { Items = page.Items, TotalItems = page.TotalCount };
    }

    private async Task ApplyAsync()
    {
        _applied = _filter.ToFilter(_from, _to);
        if (_grid is not null)
        {
            await _grid.ReloadServerData();
        }
    }

    private async Task ClearAsync()
    {
        _filter.Clear();
        _from = _to = null;
        await ApplyAsync();
    }

    /// <summary>The export endpoint with the filters as they are applied on screen.</summary>
    private string ExportUrl(string format)
    {
        var query = new Dictionary<string, string?>
        {
            ["format"] = format,
            ["user"] = _applied.User,
            ["from"] = _applied.FromUtc?.ToString("O", CultureInfo.InvariantCulture),
            ["to"] = _applied.ToUtc?.ToString("O", CultureInfo.InvariantCulture),
            ["app"] = _applied.TencentApp,
            ["status"] = _applied.Status,
            ["kind"] = _applied.PackageKind,
            ["uploadId"] = _applied.TencentUploadId?.ToString(CultureInfo.InvariantCulture),
            ["fileName"] = _applied.FileName,
            ["sha256"] = _applied.Sha256,
        };
        return QueryHelpers.AddQueryString("api/audit/export", query.Where(pair => !string.IsNullOrEmpty(pair.Value)));
    }

    /// <summary>The grid names a sorted column by its property path (property columns) or title (template columns).</summary>
    private static readonly Dictionary<string, AuditSort> SortableColumns = new(StringComparer.Ordinal)
    {
        ["Upload.ReceivedAt"] = AuditSort.ReceivedAt,
        ["When (UTC)"] = AuditSort.ReceivedAt,
        ["Who"] = AuditSort.UserName,
        ["Upload.TencentApp"] = AuditSort.TencentApp,
        ["Tencent app"] = AuditSort.TencentApp,
        ["File"] = AuditSort.FileName,
        ["Upload.FileSize"] = AuditSort.FileSize,
        ["Bytes"] = AuditSort.FileSize,
    };

    private static AuditSort SortOf(string? column) =>
        column is not null && SortableColumns.TryGetValue(column, out var sort) ? sort : AuditSort.ReceivedAt;

    private static string RetCodeText(UploadState state) => state.RetCode is { } code && code != 0 ? $"retCode {code}" : "—";

    /// <summary>What the filter panel edits; applied only on "Apply filters".</summary>
    private sealed class FilterFields
    {
        public string? User { get; set; }
        public string? TencentApp { get; set; }
        public string? Status { get; set; }
        public string? PackageKind { get; set; }
        public long? TencentUploadId { get; set; }
        public string? FileName { get; set; }
        public string? Sha256 { get; set; }

        public void Clear() => User = TencentApp = Status = PackageKind = FileName = Sha256 = null;

        public AuditFilter ToFilter(DateTime? from, DateTime? to) => new()
        {
            User = User,
            FromUtc = from is { } f ? DateTime.SpecifyKind(f.Date, DateTimeKind.Utc) : null,
            ToUtc = to is { } t ? DateTime.SpecifyKind(t.Date.AddDays(1), DateTimeKind.Utc) : null,
            TencentApp = TencentApp,
            Status = Status,
            PackageKind = PackageKind,
            TencentUploadId = TencentUploadId,
            FileName = FileName,
            Sha256 = Sha256,
        };
    }
}
