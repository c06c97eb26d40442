using System.Text.Json;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.Extensions.Options;
using Microsoft.JSInterop;
using MudBlazor;
using Portal.Audit;
using Portal.Auth;
using Portal.Packages;
using Portal.Tencent;

namespace Portal.Uploads;

public enum UploadState
{
    Empty,
    Uploading,
    Checked,
    Sending,
    Sent,
    Failed,
}

/// <summary>Pick an app, choose a file, read the verdict, send it, get the uploadId.</summary>
public sealed partial class UploadPage
{
    internal const string PickerId = "package-picker";
    internal const string ScriptPath = "./js/package-upload.js";

    private static readonly JsonSerializerOptions WebJson = new(JsonSerializerDefaults.Web);

    private readonly CancellationTokenSource _leaving = new();
    private IJSObjectReference? _script;
    private DotNetObjectReference<UploadPage>? _progressTarget;

    [Inject] private IJSRuntime JS { get; set; } = default!;

    [Inject] private IOptions<TencentOptions> TencentOptions { get; set; } = default!;

    [Inject] private IOptions<OidcOptions> OidcOptions { get; set; } = default!;

    [Inject] private UploadService Uploads { get; set; } = default!;

    [Inject] private AntiforgeryStateProvider Antiforgery { get; set; } = default!;

    [Inject] private ISnackbar Snackbar { get; set; } = default!;

    [CascadingParameter] private Task<AuthenticationState> AuthenticationState { get; set; } = default!;

    internal UploadState State { get; private set; } = UploadState.Empty;

    private IReadOnlyList<TencentAppOptions> AvailableApps { get; set; } = [];

    private string? SelectedApp { get; set; }

    private PackageKind Kind { get; set; } = PackageKind.Account;

    private bool FirstRowIsHeader { get; set; }

    private IEnumerable<PackageKind> KindsOfSelectedApp =>
        Enum.GetValues<PackageKind>().Where(kind => AvailableApps.FirstOrDefault(app => app.Name == SelectedApp)?.Accepts(kind) ?? true);

    /// <summary>The package the user chose to send: <see cref="SendChoice.Original"/> or <see cref="SendChoice.Clean"/>.</summary>
    private string SendVariant { get; set; } = SendChoice.Original;

    private bool CanRetry { get; set; }

    private string? ChosenFileName { get; set; }

    private int Progress { get; set; }

    private UploadReceipt? Receipt { get; set; }

    private long? TencentUploadId { get; set; }

    private string? FailureMessage { get; set; }

    /// <summary>False while the page is only prerendered: a file chosen then would be lost.</summary>
    private bool IsInteractive { get; set; }

    private bool IsBusy => State is UploadState.Uploading or UploadState.Sending;

    private bool CanChooseFile => IsInteractive && SelectedApp is not null && !IsBusy;

    protected override async Task OnInitializedAsync()
    {
        var user = (await AuthenticationState).User;
        AvailableApps = TencentOptions.Value.AppsAvailableTo(OidcOptions.Value.GroupsOf(user)).ToList();
        if (AvailableApps.Count == 1)
        {
            SelectApp(AvailableApps[0].Name);
        }
    }

    private void SelectApp(string app)
    {
        SelectedApp = app;
        Kind = KindsOfSelectedApp.FirstOrDefault();
    }

    protected override void OnAfterRender(bool firstRender)
    {
        if (firstRender)
        {
            IsInteractive = true;
            StateHasChanged();
        }
    }

    /// <summary>Called by the page script as the bytes go out.</summary>
    [JSInvokable]
    public Task ReportProgress(int percent)
    {
        Progress = percent;
        return InvokeAsync(StateHasChanged);
    }

    private async Task OnFileChosenAsync(IBrowserFile? file)
    {
        if (file is null || SelectedApp is null)
        {
            return;
        }

        // Checked here too so a 2 GB file is refused at once instead of after a long upload.
        if (file.Size > PackageRules.MaxPackageBytes)
        {
            Fail($"'{file.Name}' is {file.Size:N0} bytes; Tencent accepts at most {PackageRules.MaxPackageBytes:N0} bytes (100 MB).");
            return;
        }

        ChosenFileName = file.Name;
        Progress = 0;
        State = UploadState.Uploading;
        StateHasChanged();

        _script ??= await JS.InvokeAsync<IJSObjectReference>("import", _leaving.Token, ScriptPath);
        _progressTarget ??= DotNetObjectReference.Create(this);
        var token = Antiforgery.GetAntiforgeryToken()?.Value ?? "";
        var url = $"{UploadEndpoints.Route.TrimStart('/')}?app={Uri.EscapeDataString(SelectedApp)}&kind={Kind}&header={(FirstRowIsHeader ? "true" : "false")}";
        var response = await _script.InvokeAsync<UploadResponse>("uploadPackage", _leaving.Token, PickerId, url, token, _progressTarget);
        ShowResponse(response);
    }

    private void ShowResponse(UploadResponse response)
    {
        if (response.Status == 200 && JsonSerializer.Deserialize<UploadReceipt>(response.Body, WebJson) is { } receipt)
        {
            Receipt = receipt;
            // Offer the original when Tencent takes it as it is, else the clean package.
            SendVariant = receipt.Report.OriginalSendable ? SendChoice.Original : SendChoice.Clean;
            State = UploadState.Checked;
            return;
        }

        Fail(response.Status switch
        {
            0 => "The upload did not reach the portal (network error or cancelled). Nothing was sent to Tencent.",
            401 => "Your session has expired. Reload the page to sign in again.",
            403 => "Your account is not allowed to upload packages.",
            _ => ProblemDetail(response.Body) ?? $"The portal answered HTTP {response.Status}. Nothing was sent to Tencent.",
        });
    }

    private async Task SendAsync()
    {
        State = UploadState.Sending;
        var user = PortalUser.From((await AuthenticationState).User);
        Show(await Uploads.SendAsync(Receipt!.UploadId, SendVariant, user, _leaving.Token));
    }

    private async Task RetryAsync()
    {
        State = UploadState.Sending;
        var principal = (await AuthenticationState).User;
        Show(await Uploads.RetryAsync(Receipt!.UploadId, PortalUser.From(principal), principal.IsInRole(PortalRoles.Auditor), _leaving.Token));
    }

    private void Show(SendOutcome outcome)
    {
        if (outcome.Succeeded)
        {
            TencentUploadId = outcome.TencentUploadId;
            State = UploadState.Sent;
            return;
        }

        Fail(outcome.Message);
        CanRetry = outcome.CanRetry;
    }

    private async Task CopyUploadIdAsync()
    {
        await JS.InvokeVoidAsync("navigator.clipboard.writeText", TencentUploadId?.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Snackbar.Add("uploadId copied", Severity.Info);
    }

    private void Fail(string message)
    {
        FailureMessage = message;
        CanRetry = false;
        State = UploadState.Failed;
    }

    private void Reset()
    {
        State = UploadState.Empty;
        Receipt = null;
        TencentUploadId = null;
        FailureMessage = null;
        ChosenFileName = null;
    }

    private static string? ProblemDetail(string body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            return json.RootElement.TryGetProperty("detail", out var detail) ? detail.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _leaving.CancelAsync();
        _leaving.Dispose();
        _progressTarget?.Dispose();
        if (_script is not null)
        {
            try
            {
                await _script.DisposeAsync();
            }
            catch (JSDisconnectedException)
            {
                // The browser is gone; nothing to release on its side.
            }
        }
    }

    /// <summary>What the page script hands back: the HTTP status (0 when the request never completed) and the body.</summary>
    public sealed record UploadResponse(int Status, string Body);
}
