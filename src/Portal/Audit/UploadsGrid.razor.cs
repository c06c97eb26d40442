using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Routing;
using Microsoft.Extensions.Options;
using MudBlazor;
using Portal.Localization;
using Portal.Uploads;

namespace Portal.Audit;

/// <summary>
/// Uploads with server-side filtering, sorting and paging: everyone's for auditors, or one uploader's own
/// (<see cref="OwnerId"/>, set by the page from the signed-in user, never from input). Rows with a send under way follow it live.
/// The applied filters live in the page's URL: applying them adds a history entry, and a URL (shared, or reached with the
/// browser's back button) shows the view it describes.
/// </summary>
public sealed partial class UploadsGrid : IDisposable
{
    /// <summary>The grid names a sorted column by the property path of its <c>Property</c>; each sortable column maps to one <see cref="AuditSort"/>.</summary>
    private static readonly Dictionary<string, AuditSort> SortableColumns = new(StringComparer.Ordinal)
    {
        [$"{nameof(UploadEntry.Upload)}.{nameof(UploadRecord.ReceivedAt)}"] = AuditSort.ReceivedAt,
        [$"{nameof(UploadEntry.Upload)}.{nameof(UploadRecord.UserName)}"] = AuditSort.UserName,
        [$"{nameof(UploadEntry.Upload)}.{nameof(UploadRecord.TencentApp)}"] = AuditSort.TencentApp,
        [$"{nameof(UploadEntry.Upload)}.{nameof(UploadRecord.FileName)}"] = AuditSort.FileName,
        [$"{nameof(UploadEntry.Upload)}.{nameof(UploadRecord.FileSize)}"] = AuditSort.FileSize,
        [$"{nameof(UploadEntry.Upload)}.{nameof(UploadRecord.Sha256)}"] = AuditSort.Sha256,
        [$"{nameof(UploadEntry.Upload)}.{nameof(UploadRecord.RowCount)}"] = AuditSort.RowCount,
        [$"{nameof(UploadEntry.State)}.{nameof(UploadState.Status)}"] = AuditSort.Status,
        [$"{nameof(UploadEntry.State)}.{nameof(UploadState.TencentUploadId)}"] = AuditSort.TencentUploadId,
    };

    private readonly FilterFields _fields = new();
    private readonly CancellationTokenSource _disposed = new();
    private readonly ReaderCulture _reader = ReaderCulture.Current;
    private MudDataGrid<UploadEntry>? _grid;
    private AuditFilter _applied = new();
    private IReadOnlyList<UploadEntry> _shown = [];
    private DateTime _lastReload;
    private bool _moreThanTotal;
    private string _path = "";

    [Inject] private AuditSearch Search { get; set; } = default!;

    [Inject] private NavigationManager Navigation { get; set; } = default!;

    [Inject] private UploadChanges Changes { get; set; } = default!;

    [Inject] private IOptions<Tencent.TencentOptions> TencentOptions { get; set; } = default!;

    [Inject] private IOptions<UploadOptions> UploadOptions { get; set; } = default!;

    [Parameter] public string? OwnerId { get; set; }

    protected override void OnInitialized()
    {
        _path = PathOf(Navigation.Uri);
        _applied = AuditFilter.FromUri(Navigation.Uri);
        _fields.Show(_applied);
        Navigation.LocationChanged += OnLocationChanged;
        Changes.Changed += OnUploadChanged;
        _ = PollActiveRowsAsync();
    }

    private async Task<GridData<UploadEntry>> LoadAsync(GridState<UploadEntry> state, CancellationToken cancellationToken)
    {
        var sort = state.SortDefinitions.FirstOrDefault();
        var view = _applied with
        {
            OwnerId = OwnerId,
            Sort = sort is not null && SortableColumns.TryGetValue(sort.SortBy, out var column) ? column : AuditSort.ReceivedAt,
            Descending = sort?.Descending ?? true,
        };
        var page = await Search.SearchAsync(view, state.Page, state.PageSize, cancellationToken);
        _shown = page.Items;
        _lastReload = DateTime.UtcNow;
        if (_moreThanTotal != page.TotalIsLowerBound)
        {
            // The pager's text ("of more than …") is a parameter this component renders.
            _moreThanTotal = page.TotalIsLowerBound;
            StateHasChanged();
        }

        return new GridData<UploadEntry> { Items = page.Items, TotalItems = page.TotalCount };
    }

    /// <summary>Puts the filters in the URL; the view follows from there (<see cref="OnLocationChanged"/>).</summary>
    private async Task ApplyAsync()
    {
        var filter = _fields.ToFilter();
        if (filter == _applied)
        {
            await ReloadAsync();
            return;
        }

        Navigation.NavigateTo(Navigation.GetUriWithQueryParameters(filter.ToQueryParameters()));
    }

    /// <summary>Filters applied here, a shared link followed within the portal, or the back and forward buttons.</summary>
    private void OnLocationChanged(object? sender, LocationChangedEventArgs e)
    {
        var filter = AuditFilter.FromUri(e.Location);
        if (filter == _applied || PathOf(e.Location) != _path)
        {
            return;
        }

        _applied = filter;
        _fields.Show(filter);
        _ = InvokeAsync(() => _reader.RunAsync(async () =>
        {
            StateHasChanged();
            await ReloadAsync();
        }));
    }

    private async Task ClearAsync()
    {
        _fields.Clear();
        await ApplyAsync();
    }

    private Task ReloadAsync() => _grid?.ReloadServerData() ?? Task.CompletedTask;

    /// <summary>A row on screen changed in this process: show it, at most once a second.</summary>
    private void OnUploadChanged(Guid uploadId)
    {
        if (_shown.Any(entry => entry.Upload.Id == uploadId) && DateTime.UtcNow - _lastReload >= TimeSpan.FromSeconds(1))
        {
            _lastReload = DateTime.UtcNow;
            _ = InvokeAsync(() => _reader.RunAsync(ReloadAsync));
        }
    }

    /// <summary>While a row on screen has a send under way, read the page again now and then: another replica may be sending it.</summary>
    private async Task PollActiveRowsAsync()
    {
        using var timer = new PeriodicTimer(UploadOptions.Value.QueuePollInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(_disposed.Token))
            {
                if (_shown.Any(entry => UploadLifecycle.IsActive(entry.State.Status)))
                {
                    await InvokeAsync(ReloadAsync);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The page went away.
        }
    }

    /// <summary>The export endpoint with the view as it is applied on screen.</summary>
    private string ExportUrl(string format) => _applied.AppendTo(AuditExport.Route.TrimStart('/'), KeyValuePair.Create("format", (string?)format));

    private static string PathOf(string uri) => new Uri(uri).AbsolutePath;

    private static string RetCodeText(UploadState state) => state.RetCode is { } code && code != 0 ? $"retCode {code}" : "—";

    public void Dispose()
    {
        Changes.Changed -= OnUploadChanged;
        Navigation.LocationChanged -= OnLocationChanged;
        _disposed.Cancel();
    }

    /// <summary>What the filter panel edits; applied only on "Apply filters".</summary>
    private sealed class FilterFields
    {
        public string? User { get; set; }
        public DateTime? From { get; set; }
        public DateTime? To { get; set; }
        public string? TencentApp { get; set; }
        public UploadStatus? Status { get; set; }
        public string? PackageKind { get; set; }
        public long? TencentUploadId { get; set; }
        public string? FileName { get; set; }
        public string? Sha256 { get; set; }

        public void Clear()
        {
            (User, TencentApp, PackageKind, FileName, Sha256) = (null, null, null, null, null);
            (From, To, Status, TencentUploadId) = (null, null, null, null);
        }

        /// <summary>Shows what <paramref name="filter"/> filters by, as <see cref="ToFilter"/> would make it.</summary>
        public void Show(AuditFilter filter)
        {
            (User, TencentApp, PackageKind, FileName, Sha256) = (filter.User, filter.TencentApp, filter.PackageKind, filter.FileName, filter.Sha256);
            (Status, TencentUploadId) = (filter.Status, filter.TencentUploadId);
            From = filter.FromUtc?.Date;
            To = filter.ToUtc is { } to ? to.Date.AddDays(-1) : null;
        }

        public AuditFilter ToFilter() => new()
        {
            User = User,
            FromUtc = From is { } from ? DateTime.SpecifyKind(from.Date, DateTimeKind.Utc) : null,
            ToUtc = To is { } to ? DateTime.SpecifyKind(to.Date.AddDays(1), DateTimeKind.Utc) : null,
            TencentApp = TencentApp,
            Status = Status,
            PackageKind = PackageKind,
            TencentUploadId = TencentUploadId,
            FileName = FileName,
            Sha256 = Sha256,
        };
    }
}
