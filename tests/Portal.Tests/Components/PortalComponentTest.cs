using System.Globalization;
using System.Security.Claims;
using Bunit;
using Bunit.TestDoubles;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MudBlazor.Services;
using Portal.Audit;
using Portal.Auth;
using Portal.Localization;
using Portal.Tencent;
using Portal.Uploads;

namespace Portal.Tests.Components;

/// <summary>bUnit context with MudBlazor's services, loose JS interop and a signed-in user whose roles each test chooses.</summary>
public abstract class PortalComponentTest : BunitContext, IAsyncLifetime
{
    protected PortalComponentTest()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        UseCulture(PortalCultures.English);
        Services.AddMudServices();
        Services.AddPortalLocalization();
        Services.AddSingleton<AntiforgeryStateProvider, FixedAntiforgeryStateProvider>();
        Authorization = AddAuthorization();
    }

    protected BunitAuthorizationContext Authorization { get; }

    /// <summary>
    /// The portal's services over a real SQLite file, as the app registers them, with these Tencent apps (the send
    /// worker is not running: tests drive sends themselves).
    /// </summary>
    protected void UseStorage(TestStorage storage, params TencentAppOptions[] apps)
    {
        ArgumentNullException.ThrowIfNull(storage);
        Services.AddSingleton(Options.Create(new TencentOptions { Apps = [.. apps] }));
        Services.AddSingleton(Options.Create(new UploadOptions { QueuePollInterval = TimeSpan.FromMilliseconds(100) }));
        Services.AddSingleton(TimeProvider.System);
        Services.AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        Services.AddSingleton(typeof(ILogger<>), typeof(NullLogger<>));
        Services.AddSingleton(storage.Trail);
        Services.AddSingleton(storage.Store);
        Services.AddSingleton(storage.Changes);
        Services.AddSingleton(storage.Search);
        Services.AddSingleton(storage.Integrity);
        Services.AddSingleton<IntegrityCheck>();
        Services.AddSingleton(new StagingStore(storage.Options));
        Services.AddSingleton<TransferBoard>();
        Services.AddSingleton<SendSignals>();
        Services.AddSingleton<UploadService>();
        Services.AddSingleton(storage.Connections);
        Services.AddSingleton<TencentRateLimitGate>();
        Services.AddSingleton<TencentPauses>();
        Services.AddSingleton<EarlierSends>();
        Services.AddSingleton<EventSentences>();
        Services.AddSingleton<AppActivity>();
    }

    public virtual Task InitializeAsync() => Task.CompletedTask;

    /// <summary>MudBlazor registers services that can only be disposed asynchronously.</summary>
    async Task IAsyncLifetime.DisposeAsync()
    {
        // Components first: one following a queued send still reads the storage, and would recreate its files as they are removed.
        await DisposeComponentsAsync();
        await DisposeTestResourcesAsync();
        await base.DisposeAsync();
    }

    protected virtual Task DisposeTestResourcesAsync() => Task.CompletedTask;

    protected void SignIn(string name, params string[] roles)
    {
        Authorization.SetAuthorized(name);
        Authorization.SetRoles(roles);
        // After SetRoles: bUnit keeps only the claims given last.
        Authorization.SetClaims(new Claim("sub", $"dev-{name}"), new Claim("email", $"{name}@example.com"));
    }

    /// <summary>How long a render may take on a busy machine (the tests share two cores with builds).</summary>
    protected static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    /// <summary>Renders what follows in <paramref name="culture"/>, as a browser that chose it would see it (the machine's own culture may be the invariant one).</summary>
    protected static void UseCulture(string culture) =>
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(culture);

    /// <summary>Mud popovers (selects, menus) render into this provider.</summary>
    protected void RenderPopoverProvider() => Render<MudBlazor.MudPopoverProvider>();

    private sealed class FixedAntiforgeryStateProvider : AntiforgeryStateProvider
    {
        public override AntiforgeryRequestToken GetAntiforgeryToken() => new("test-antiforgery-token", "__RequestVerificationToken");
    }
}

public sealed class NavMenuTests : PortalComponentTest
{
    [Theory]
    [InlineData(new[] { PortalRoles.Uploader }, true, false)]
    [InlineData(new[] { PortalRoles.Auditor }, false, true)]
    [InlineData(new[] { PortalRoles.Uploader, PortalRoles.Auditor }, true, true)]
    [InlineData(new string[0], false, false)]
    public void Navigation_shows_only_what_the_users_roles_allow(string[] roles, bool seesUpload, bool seesAudit)
    {
        SignIn("mia", roles);

        var cut = Render<Portal.Components.Layout.NavMenu>();

        Assert.Equal(seesUpload, cut.FindAll("[data-testid=nav-upload]").Count > 0);
        Assert.Equal(seesAudit, cut.FindAll("[data-testid=nav-audit]").Count > 0);
    }
}
