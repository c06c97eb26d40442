using System.Text.Json;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.AspNetCore.Components.Routing;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using Microsoft.JSInterop;
using MudBlazor;
using Portal.Auth;
using Portal.Localization;
using Portal.Packages;
using Portal.Resources;
using Portal.Tencent;

namespace Portal.Uploads;

/// <summary>Where the upload page is: choosing a file, moving its bytes, waiting for the check, reading the report, following the send.</summary>
public enum UploadPagePhase
{
    Empty,
    Transferring,
    Checking,
    Checked,
    Confirmed,
    Failed,
}

/// <summary>The browser's transfer of a file to the portal, as its progress events tell it.</summary>
public sealed record TransferProgress(long Loaded, long Total, TimeSpan Elapsed)
{
    public double Fraction => Total <= 0 ? 0 : Math.Min(1, (double)Loaded / Total);

    /// <summary>The average rate so far; null until the first bytes and a measurable time.</summary>
    public double? BytesPerSecond => Loaded > 0 && Elapsed > TimeSpan.Zero ? Loaded / Elapsed.TotalSeconds : null;

    public TimeSpan? TimeLeft => BytesPerSecond is { } rate ? TimeSpan.FromSeconds((Total - Loaded) / rate) : null;
}

/// <summary>Pick an app, choose a file, read the verdict, send it, follow the send to the uploadId.</summary>
public sealed partial class UploadPage
{
    internal const string PickerId = "package-picker";
    internal const string ScriptPath = "./js/package-upload.js";
    private const int EarlierSendsShown = 5;

    private static readonly JsonSerializerOptions WebJson = new(JsonSerializerDefaults.Web);

    private readonly CancellationTokenSource _leaving = new();
    private ElementReference _verdict;
    private bool _verdictArrived;
    private IReadOnlyList<UploadEntry> _earlierSends = [];
    private IJSObjectReference? _script;
    private DotNetObjectReference<UploadPage>? _progressTarget;
    private long _transferStarted;
    private PortalUser _user = default!;

    [Inject] private IJSRuntime JS { get; set; } = default!;

    [Inject] private IOptions<TencentOptions> TencentOptions { get; set; } = default!;

    [Inject] private IOptions<OidcOptions> OidcOptions { get; set; } = default!;

    [Inject] private UploadService Uploads { get; set; } = default!;

    [Inject] private AntiforgeryStateProvider Antiforgery { get; set; } = default!;

    [Inject] private IDialogService Dialogs { get; set; } = default!;

    [Inject] private TimeProvider Clock { get; set; } = default!;

    [Inject] private TransferBoard Transfers { get; set; } = default!;

    [Inject] private Formats Format { get; set; } = default!;

    [Inject] private EarlierSends EarlierSendsFinder { get; set; } = default!;

    [Inject] private IStringLocalizer<UploadsText> Text { get; set; } = default!;

    [Inject] private IStringLocalizer<CommonText> Common { get; set; } = default!;

    [CascadingParameter] private Task<AuthenticationState> AuthenticationState { get; set; } = default!;

    internal UploadPagePhase Phase { get; private set; } = UploadPagePhase.Empty;

    private IReadOnlyList<TencentAppOptions> AvailableApps { get; set; } = [];

    private string? SelectedApp { get; set; }

    private PackageKind Kind { get; set; } = PackageKind.Account;

    private bool FirstRowIsHeader { get; set; }

    /// <summary>The CSV column the accounts are taken from, once chosen on the report.</summary>
    private int? AccountColumn { get; set; }

    private bool KeepScientificNotation { get; set; }

    /// <summary>The choices the report on the page was made with.</summary>
    private RecheckOptions CheckedWith => new(FirstRowIsHeader, AccountColumn, KeepScientificNotation);

    /// <summary>The staged file is being checked again with other choices.</summary>
    private bool Rechecking { get; set; }

    private string? RecheckRefusal { get; set; }

    private IEnumerable<PackageKind> KindsOfSelectedApp =>
        Enum.GetValues<PackageKind>().Where(kind => AvailableApps.FirstOrDefault(app => app.Name == SelectedApp)?.Accepts(kind) ?? true);

    /// <summary>The package the user chose to send: <see cref="SendVariant.Original"/> or <see cref="SendVariant.Clean"/>.</summary>
    private string ChosenVariant { get; set; } = SendVariant.Original;

    private string? ChosenFileName { get; set; }

    private TransferProgress? Transfer { get; set; }

    /// <summary>The id this page gave its transfer, so it can read what the server does with the bytes.</summary>
    private Guid TransferId { get; set; }

    /// <summary>The server's side of the transfer: waiting for a checker, or how far the check has got.</summary>
    private TransferStatus? ServerSide { get; set; }

    private UploadReceipt? Receipt { get; set; }

    private string? FailureMessage { get; set; }

    /// <summary>False while the page is only prerendered: a file chosen then would be lost.</summary>
    private bool IsInteractive { get; set; }

    private bool IsBusy => Phase is UploadPagePhase.Transferring or UploadPagePhase.Checking;

    /// <summary>The app, kind and header choice belong to the file being handled: they change only before a file is chosen.</summary>
    private bool SettingsLocked => Phase is not (UploadPagePhase.Empty or UploadPagePhase.Failed);

    /// <summary>Before a file is chosen the header choice goes with the upload; once its report is shown, changing it checks the file again.</summary>
    private bool HeaderLocked => Rechecking || (SettingsLocked && Phase != UploadPagePhase.Checked);

    private bool CanChooseFile => IsInteractive && SelectedApp is not null && !SettingsLocked;

    protected override async Task OnInitializedAsync()
    {
        var principal = (await AuthenticationState).User;
        _user = PortalUser.From(principal);
        AvailableApps = TencentOptions.Value.AppsAvailableTo(OidcOptions.Value.GroupsOf(principal)).ToList();
        if (AvailableApps.Count == 1)
        {
            SelectApp(AvailableApps[0].Name);
        }
    }

    protected override void OnAfterRender(bool firstRender)
    {
        if (firstRender)
        {
            IsInteractive = true;
            StateHasChanged();
        }
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (_verdictArrived)
        {
            // Keyboard and screen-reader users land on the verdict rather than at the top of a page that changed under them.
            _verdictArrived = false;
            await _verdict.FocusAsync();
        }
    }

    private static Severity VerdictSeverity(ValidationReport report) =>
        report.OriginalSendable || report.CleanPackage is null ? (report.ValidCount > 0 ? Severity.Success : Severity.Error) : Severity.Warning;

    private static string VerdictTestId(ValidationReport report) =>
        report.OriginalSendable ? "accepted" : report.CleanPackage is not null ? "clean-only" : "rejected";

    private static string VerdictKey(ValidationReport report) => report switch
    {
        { OriginalSendable: true, CleanPackage: not null } => "VerdictCleanPreferred",
        { OriginalSendable: true } => "VerdictOriginal",
        { CleanPackage: not null } => "VerdictClean",
        _ => "VerdictRejected",
    };

    private void SelectApp(string app)
    {
        SelectedApp = app;
        Kind = KindsOfSelectedApp.FirstOrDefault();
    }

    /// <summary>Called by the page script as the browser sends the file (at most five times a second).</summary>
    [JSInvokable]
    public Task ReportTransfer(long loaded, long total)
    {
        Transfer = new TransferProgress(loaded, total, Clock.GetElapsedTime(_transferStarted));
        if (loaded >= total && Phase == UploadPagePhase.Transferring)
        {
            Phase = UploadPagePhase.Checking;
        }

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
            Fail(Text["TooLarge", file.Name, Format.ExactBytes(file.Size)]);
            return;
        }

        // An image, a PDF or a workbook renamed .csv is named for what it is, not reported as rows of invalid text.
        await using (var head = file.OpenReadStream(PackageRules.MaxPackageBytes, _leaving.Token))
        {
            var kind = await FileSignature.IdentifyAsync(head, _leaving.Token);
            if (FileSignature.Contradicts(file.Name, kind))
            {
                Fail(Text["NotText", file.Name, Text[$"Kind_{kind}"]]);
                return;
            }
        }

        ChosenFileName = file.Name;
        Transfer = new TransferProgress(0, file.Size, TimeSpan.Zero);
        Phase = UploadPagePhase.Transferring;
        _transferStarted = Clock.GetTimestamp();
        StateHasChanged();

        _script ??= await JS.InvokeAsync<IJSObjectReference>("import", _leaving.Token, ScriptPath);
        _progressTarget ??= DotNetObjectReference.Create(this);
        var token = Antiforgery.GetAntiforgeryToken()?.Value ?? "";
        TransferId = Guid.NewGuid();
        var url = $"{UploadEndpoints.Route.TrimStart('/')}?app={Uri.EscapeDataString(SelectedApp)}&kind={Kind}&header={(FirstRowIsHeader ? "true" : "false")}&transfer={TransferId}";
        // The transfer runs on while the page takes other events (Cancel, progress reports, navigation).
        _ = TransferAsync(_script, url, token);
        _ = FollowServerSideAsync(TransferId);
    }

    /// <summary>Four times a second while the transfer lasts: what the server does with the bytes (waiting for a checker, checking rows).</summary>
    private async Task FollowServerSideAsync(Guid transferId)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(250), Clock);
        try
        {
            while (await timer.WaitForNextTickAsync(_leaving.Token) && IsBusy && TransferId == transferId)
            {
                await InvokeAsync(() =>
                {
                    ServerSide = Transfers.Find(transferId, _user.Id);
                    StateHasChanged();
                });
            }
        }
        catch (OperationCanceledException)
        {
            // The page went away.
        }
    }

    private async Task TransferAsync(IJSObjectReference script, string url, string token)
    {
        try
        {
            var response = await script.InvokeAsync<UploadResponse>("uploadPackage", _leaving.Token, PickerId, url, token, _progressTarget);
            var receipt = response.Status == 200 ? JsonSerializer.Deserialize<UploadReceipt>(response.Body, WebJson) : null;
            // Looked up before the verdict is shown, so the page that offers the send already says whether it was sent before.
            var earlierSends = receipt is null ? [] : await FindEarlierSendsAsync(receipt);
            await InvokeAsync(() =>
            {
                ShowResponse(response, receipt, earlierSends);
                StateHasChanged();
            });
        }
        catch (Exception exception) when (exception is JSDisconnectedException or OperationCanceledException)
        {
            // The page or the browser went away: the server removes the partial file when the request breaks off.
        }
    }

    private async Task CancelTransferAsync()
    {
        Transfers.MarkCancelled(TransferId, _user.Id);
        if (_script is not null)
        {
            await _script.InvokeVoidAsync("cancelUpload", _leaving.Token);
        }
    }

    /// <summary>Leaving the page in the middle of a transfer would stop it: ask first.</summary>
    private async Task ConfirmLeavingAsync(LocationChangingContext context)
    {
        if (!IsBusy)
        {
            return;
        }

        var leave = await Dialogs.ShowMessageBoxAsync(Text["LeaveTitle"], Text["LeaveText", ChosenFileName ?? ""], yesText: Text["Leave"], cancelText: Text["Stay"]);
        if (leave != true)
        {
            context.PreventNavigation();
        }
    }

    private void ShowResponse(UploadResponse response, UploadReceipt? receipt, IReadOnlyList<UploadEntry> earlierSends)
    {
        if (receipt is not null)
        {
            ShowReceipt(receipt, earlierSends);
            return;
        }

        Fail(response switch
        {
            { Cancelled: true } => Text["FailCancelled", ChosenFileName ?? ""],
            { Status: 0 } => Text["FailConnection"],
            { Status: 401 } => Text["FailSession"],
            { Status: 403 } => Text["FailForbidden"],
            _ => ProblemDetail(response.Body) ?? Text["FailHttp", response.Status],
        });
    }

    private void ShowReceipt(UploadReceipt receipt, IReadOnlyList<UploadEntry> earlierSends)
    {
        Receipt = receipt;
        _earlierSends = earlierSends;
        // Offer the clean package whenever there is one (it leaves out duplicates and blanks), else the original.
        ChosenVariant = receipt.Report.CleanPackage is not null ? SendVariant.Clean : SendVariant.Original;
        Phase = UploadPagePhase.Checked;
        _verdictArrived = true;
    }

    /// <summary>The uploads already sent to this app whose sent package has the SHA-256 of the original or of the clean package.</summary>
    private Task<IReadOnlyList<UploadEntry>> FindEarlierSendsAsync(UploadReceipt receipt) =>
        EarlierSendsFinder.FindAsync(SelectedApp ?? "", new[] { receipt.Sha256, receipt.Report.CleanPackage?.Sha256 }.OfType<string>(), receipt.UploadId,
            EarlierSendsShown, _leaving.Token);

    private async Task SetFirstRowIsHeaderAsync(bool headerRow)
    {
        if (Phase == UploadPagePhase.Checked)
        {
            await RecheckAsync(CheckedWith with { HeaderRow = headerRow });
            return;
        }

        FirstRowIsHeader = headerRow;
    }

    /// <summary>Checks the staged file again with other choices; the new report (and what it would send) replaces the one shown.</summary>
    private async Task RecheckAsync(RecheckOptions options)
    {
        var earlier = CheckedWith;
        (FirstRowIsHeader, AccountColumn, KeepScientificNotation) = (options.HeaderRow, options.AccountColumn, options.KeepScientificNotation);
        (Rechecking, RecheckRefusal) = (true, null);
        StateHasChanged();
        try
        {
            var result = await Uploads.RecheckAsync(Receipt!.UploadId, options, _user, _leaving.Token);
            if (result.Receipt is { } receipt)
            {
                ShowReceipt(receipt, await FindEarlierSendsAsync(receipt));
                return;
            }

            (FirstRowIsHeader, AccountColumn, KeepScientificNotation) = (earlier.HeaderRow, earlier.AccountColumn, earlier.KeepScientificNotation);
            RecheckRefusal = result.Refusal;
        }
        finally
        {
            Rechecking = false;
        }
    }

    /// <summary>The latest earlier send, to the same app, of exactly the package now chosen.</summary>
    private UploadEntry? EarlierSend
    {
        get
        {
            var chosen = ChosenVariant == SendVariant.Clean ? Receipt?.Report.CleanPackage?.Sha256 : Receipt?.Sha256;
            return _earlierSends.FirstOrDefault(entry => entry.State.SentSha256 == chosen);
        }
    }

    private async Task SendAsync()
    {
        if (EarlierSend is { } earlier && await Dialogs.ShowMessageBoxAsync(Text["SameFileTitle"],
                Text["SameFileQuestion", SelectedApp ?? "", earlier.Upload.UserName, earlier.State.TencentUploadId ?? 0],
                yesText: Text["SendAgainYes"], cancelText: Text["Keep"]) != true)
        {
            return;
        }

        var result = await Uploads.SendAsync(Receipt!.UploadId, ChosenVariant, _user, _leaving.Token);
        if (result.Done)
        {
            Phase = UploadPagePhase.Confirmed;
            return;
        }

        Fail(result.Message);
    }

    private void Fail(string message)
    {
        FailureMessage = message;
        Phase = UploadPagePhase.Failed;
    }

    private void Reset()
    {
        Phase = UploadPagePhase.Empty;
        Receipt = null;
        Transfer = null;
        ServerSide = null;
        FailureMessage = null;
        ChosenFileName = null;
        (AccountColumn, KeepScientificNotation, RecheckRefusal) = (null, false, null);
        _earlierSends = [];
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

    /// <summary>What the page script hands back: the HTTP status (0 when the request never completed), the body, and whether the user cancelled it.</summary>
    public sealed record UploadResponse(int Status, string Body, bool Cancelled = false);
}
