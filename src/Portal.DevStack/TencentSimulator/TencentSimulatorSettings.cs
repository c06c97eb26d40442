using System.Security.Cryptography;

namespace Portal.DevStack.TencentSimulator;

/// <summary>An app the simulator accepts, and the fault configured for it (if any).</summary>
internal sealed record SimulatorApp(SimulatorCredential Credential, SimulatorFault? Fault);

/// <summary>The resolved simulator configuration for this process.</summary>
/// <param name="PathPrefix">Empty (served at the root, like Tencent) or a path such as <c>/tencent-simulator</c>.</param>
/// <param name="Apps">The apps accepted with Basic auth.</param>
internal sealed record TencentSimulatorSettings(string PathPrefix, IReadOnlyList<SimulatorApp> Apps)
{
    public const string UploadPath = "/v3/push/package/upload";

    /// <summary>Largest accepted file: 100 MB.</summary>
    public const long MaxFileSize = 100L * 1024 * 1024;

    /// <summary>Request body limit of the upload endpoint: the largest file plus 1 MB for the multipart framing.</summary>
    public const long MaxRequestBodySize = MaxFileSize + (1024 * 1024);

    public const int MaxFileNameLength = 100;

    /// <summary>
    /// Checks the configured apps (<paramref name="section"/> names the configuration key in messages). Without any app,
    /// the default AccessID 1500000001 is served. An empty SecretKey gets a random one for this process when
    /// <paramref name="generateMissingSecrets"/>, and is refused otherwise.
    /// </summary>
    public static SimulatorApp[] ResolveApps(IList<DevTencentSimulatorAppOptions> apps, string section, bool generateMissingSecrets)
    {
        IList<DevTencentSimulatorAppOptions> configured = apps.Count > 0
            ? apps
            : [new DevTencentSimulatorAppOptions { AccessId = DevTencentSimulatorOptions.DefaultAccessId }];

        var resolved = new List<SimulatorApp>();
        for (var i = 0; i < configured.Count; i++)
        {
            var app = configured[i];
            var accessId = app.AccessId?.Trim();
            if (string.IsNullOrEmpty(accessId) || accessId.Contains(':', StringComparison.Ordinal))
            {
                throw new Microsoft.Extensions.Options.OptionsValidationException(section, typeof(TencentSimulatorSettings), [$"Every {section}:Apps entry needs an AccessId (without a colon)."]);
            }

            if (resolved.Exists(a => a.Credential.AccessId == accessId))
            {
                throw new Microsoft.Extensions.Options.OptionsValidationException(section, typeof(TencentSimulatorSettings), [$"{section}:Apps lists the AccessId {accessId} more than once."]);
            }

            if (string.IsNullOrEmpty(app.SecretKey) && !generateMissingSecrets)
            {
                throw new Microsoft.Extensions.Options.OptionsValidationException(section, typeof(TencentSimulatorSettings), [$"{section}:Apps:{i}:SecretKey is required."]);
            }

            SimulatorFault? fault = null;
            if (!string.IsNullOrWhiteSpace(app.Fault) && !SimulatorFault.TryParse(app.Fault, out fault, out var error))
            {
                throw new Microsoft.Extensions.Options.OptionsValidationException(section, typeof(TencentSimulatorSettings), [$"{section}:Apps:{i}:Fault: {error}"]);
            }

            var secretKey = string.IsNullOrEmpty(app.SecretKey)
                ? RandomNumberGenerator.GetHexString(32, lowercase: true)
                : app.SecretKey;
            resolved.Add(new SimulatorApp(new SimulatorCredential(accessId, secretKey), fault));
        }

        return [.. resolved];
    }
}
