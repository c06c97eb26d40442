using System.Globalization;
using Microsoft.Extensions.Localization;
using Portal.Localization;
using Portal.Resources;
using Portal.Uploads;

namespace Portal.Audit;

/// <summary>The upload an event belongs to, as a sentence names it.</summary>
public sealed record EventUpload(string FileName, string TencentApp);

/// <summary>
/// Each recorded event as a sentence in the reader's language ("Mia Chen sent the clean package of accounts.csv (1,204
/// accounts) to app Shop"), for the activity view, its export and an upload's history: the one place that words events.
/// </summary>
public sealed class EventSentences(IStringLocalizer<AuditText> text, Formats formats)
{
    public string Describe(AuditEvent recorded, EventUpload? upload)
    {
        ArgumentNullException.ThrowIfNull(recorded);
        var who = recorded.ActorId == AuditActor.System.Id ? text["ThePortal"].Value : recorded.ActorName;
        var file = upload?.FileName ?? text["AnUpload"].Value;
        var app = upload?.TencentApp ?? "";
        string Say(string key, params object[] arguments) => text[$"Event_{key}", arguments];
        return recorded.Parsed switch
        {
            UploadReceived => Say(recorded.Kind, who, file, app),
            UploadValidated or UploadRejected or StagedFilePurged or CancelRequested or ProblemReportDownloaded => Say(recorded.Kind, who, file),
            UploadRechecked rechecked => Say(rechecked.Accepted ? recorded.Kind : "rechecked_rejected", who, file, Choices(rechecked.Options)),
            SendRequest send => text.Plural($"Event_{recorded.Kind}", send.Accounts, who, Package(send.Variant), file, app),
            SendStarted started => Say(recorded.Kind, who, file, Formats.Count(started.Attempt)),
            SendSucceeded sent => Say(recorded.Kind, who, file, app, sent.TencentUploadId?.ToString(CultureInfo.InvariantCulture) ?? "—"),
            SendFailed failed => Say(recorded.Kind, who, file, app, Reason(failed)),
            SendInterrupted => Say(recorded.Kind, who, file, app),
            SendCancelled cancelled => Say(cancelled.MayHaveArrived ? "cancelled_may_have_arrived" : recorded.Kind, who, file),
            SentFileDownloaded downloaded => Say(recorded.Kind, who, file, Package(downloaded.Variant)),
            TransferAbandoned abandoned => Say(recorded.Kind, who, abandoned.FileName, abandoned.TencentApp, formats.Size(abandoned.BytesReceived)),
            AuditExported exported => exported.Filter.Length == 0
                ? Say(recorded.Kind, who, exported.Format.ToUpperInvariant())
                : Say("audit-exported_filtered", who, exported.Format.ToUpperInvariant(), exported.Filter),
            IntegrityVerified verified => verified.Intact
                ? Say(recorded.Kind, who, Formats.Count(verified.EventsChecked))
                : Say("integrity-verified_broken", who, verified.Problem ?? ""),
            SignedIn or SignedOut => Say(recorded.Kind, who),
            SessionEnded ended => Say(recorded.Kind, who, ended.UserName),
            _ => Say("unknown", who, recorded.Kind),
        };
    }

    /// <summary>What an event kind is called in the filter ("Sign-ins").</summary>
    public string KindName(string kind) => text[$"Kind_{kind}"];

    /// <summary>The choices a re-check was made with ("no header row; account column 3").</summary>
    private string Choices(RecheckOptions options) => string.Join(text["Recheck_separator"].Value, new[]
    {
        text[options.HeaderRow ? "Recheck_header" : "Recheck_no_header"].Value,
        options.AccountColumn is { } column ? text["Recheck_column", Formats.Count(column)].Value : null,
        options.KeepScientificNotation ? text["Recheck_scientific"].Value : null,
    }.OfType<string>());

    private string Package(string variant) => text[variant == SendVariant.Clean ? "Package_clean" : "Package_original"];

    /// <summary>Tencent's own message when it gave one, else the portal's.</summary>
    private static string Reason(SendOutcome outcome) =>
        outcome.ErrMsg is { Length: > 0 } errMsg ? $"{errMsg} (retCode {outcome.RetCode})"
        : outcome.Message is { Length: > 0 } message ? message
        : outcome.HttpStatus is { } status ? $"HTTP {status}"
        : "—";
}
