using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Portal.DevStack.TencentSimulator;

namespace Portal.DevStack;

/// <summary>
/// Hosts the Tencent Push simulator on its own (src/Portal.TencentSimulator), at the root like Tencent's access points:
/// <c>POST /v3/push/package/upload</c>. Apps come from the <c>TencentSimulator</c> section: <c>Apps:N:AccessId</c>,
/// <c>Apps:N:SecretKey</c> (required) and optionally <c>Apps:N:Fault</c> (<see cref="TencentSimulatorFaults"/>).
/// </summary>
public static class StandaloneTencentSimulatorExtensions
{
    public const string SectionName = "TencentSimulator";

    /// <summary>Registers the simulator and its <see cref="TencentSimulatorRecorder"/>; returns the apps it accepts.</summary>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">The section is invalid (the message names the key).</exception>
    public static IReadOnlyList<SimulatorCredential> AddStandaloneTencentSimulator(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = builder.Configuration.GetSection(SectionName).Get<DevTencentSimulatorOptions>() ?? new DevTencentSimulatorOptions();
        var apps = TencentSimulatorSettings.ResolveApps(options.Apps, SectionName, generateMissingSecrets: false);
        builder.Services.AddTencentSimulator(new TencentSimulatorSettings(PathPrefix: string.Empty, apps));
        return [.. apps.Select(a => a.Credential)];
    }

    /// <summary>Maps <c>POST /v3/push/package/upload</c>.</summary>
    public static WebApplication MapStandaloneTencentSimulator(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapTencentSimulator();
        return app;
    }
}
