using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Portal.Api;
using Portal.Auth;
using Portal.Packages;
using Portal.Tencent;

namespace Portal.Uploads;

/// <summary>What an upload request says in its query: where the package goes, its name, its kind and whether row 1 is a header.</summary>
public sealed record UploadQuery(string? App, string? FileName, PackageKind Kind, bool HeaderRow);

/// <summary>What came of an upload request: the receipt, or the problem to answer with and why.</summary>
public sealed record IntakeResult(UploadReceipt? Receipt, ApiProblemType? Problem, string? Detail)
{
    public static IntakeResult Refused(ApiProblemType problem, string detail) => new(null, problem, detail);
}

/// <summary>
/// Takes a package from an HTTP request body, for the upload page (<c>POST /api/uploads</c>) and the API
/// (<c>POST /api/v1/uploads</c>) alike, so both refuse the same things with the same words: a bad file name, an app the
/// caller may not use, a kind the app does not take, more than 100 MB, too many transfers at once. Then the
/// <see cref="PackageReceiver"/> stages and checks it.
/// </summary>
public sealed class UploadIntake(
    IOptions<TencentOptions> tencentOptions,
    IOptions<OidcOptions> oidcOptions,
    IOptions<UploadOptions> uploadOptions,
    TransferBoard transfers,
    PackageReceiver receiver)
{
    public async Task<IntakeResult> ReceiveAsync(HttpContext context, UploadQuery query, Guid transferId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(query);
        if (string.IsNullOrWhiteSpace(query.FileName))
        {
            return IntakeResult.Refused(ApiProblemTypes.FileName, "The upload has no file name.");
        }

        // The name recorded must be the name sent, and read the same everywhere it is shown.
        if (PackageRules.FileNameProblem(query.FileName) is { } badName)
        {
            return IntakeResult.Refused(ApiProblemTypes.FileName, badName);
        }

        var user = PortalUser.From(context.User);
        var tencentApp = tencentOptions.Value.AppsAvailableTo(oidcOptions.Value.GroupsOf(context.User))
            .FirstOrDefault(candidate => candidate.Name == query.App);
        if (!UploadAccess.CanUpload(user) || tencentApp is null)
        {
            return IntakeResult.Refused(ApiProblemTypes.AppNotAllowed, $"'{query.App}' is not a Tencent app you may upload to.");
        }

        if (!tencentApp.Accepts(query.Kind))
        {
            return IntakeResult.Refused(ApiProblemTypes.KindNotAccepted,
                $"The Tencent app '{tencentApp.Name}' does not take {query.Kind.ToString().ToLowerInvariant()} packages.");
        }

        if (context.Request.ContentLength > PackageRules.MaxPackageBytes)
        {
            return TooLarge(query.FileName);
        }

        using var underWay = transfers.Begin(transferId, user.Id);
        if (underWay is null)
        {
            return IntakeResult.Refused(ApiProblemTypes.TooManyTransfers,
                $"You already have {uploadOptions.Value.MaxTransfersPerUser} uploads under way; wait for one of them to finish, then try again.");
        }

        // Kestrel's default body limit (30 MB) is below Tencent's; the staging copy enforces the real limit itself.
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodySize)
        {
            bodySize.MaxRequestBodySize = PackageRules.MaxPackageBytes + 1;
        }

        var request = new ReceiveRequest(query.FileName, tencentApp, query.Kind, query.HeaderRow, user,
            context.Connection.RemoteIpAddress?.ToString(), Truncate(context.Request.Headers.UserAgent.ToString(), 512));
        var receipt = await receiver.ReceiveAsync(request, context.Request.Body, context.Request.ContentLength, underWay, cancellationToken);
        return receipt is null ? TooLarge(query.FileName) : new IntakeResult(receipt, null, null);
    }

    private static string? Truncate(string value, int length) => value.Length == 0 ? null : value.Length <= length ? value : value[..length];

    private static IntakeResult TooLarge(string fileName) => IntakeResult.Refused(ApiProblemTypes.TooLarge,
        $"'{fileName}' is larger than {PackageRules.MaxPackageBytes:N0} bytes (100 MB), the most Tencent accepts.");
}
