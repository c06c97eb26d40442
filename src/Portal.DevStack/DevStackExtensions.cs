using System.Buffers.Text;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Portal.DevStack.IdentityProvider;
using Portal.DevStack.TencentSimulator;

namespace Portal.DevStack;

/// <summary>
/// Registers and maps the development-only stand-ins (an OpenID Connect identity provider with demo users and a
/// Tencent Push simulator). Both are off unless configured in the <c>DevStack</c> section and refused in Production.
/// </summary>
public static class DevStackExtensions
{
    /// <summary>
    /// Binds the <c>DevStack</c> section and registers the enabled parts.
    /// </summary>
    /// <returns>What the portal needs to wire itself to the enabled parts (also registered as a singleton).</returns>
    /// <exception cref="InvalidOperationException">
    /// A part is enabled in the Production environment, or the section is invalid.
    /// </exception>
    public static DevStackConnection AddDevStack(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);

        var options = builder.Configuration.GetSection(DevStackOptions.SectionName).Get<DevStackOptions>() ?? new DevStackOptions();
        var identityProviderEnabled = options.IdentityProvider.Enabled;
        var simulatorEnabled = options.TencentSimulator.Enabled;

        if ((identityProviderEnabled || simulatorEnabled) && builder.Environment.IsProduction())
        {
            throw new InvalidOperationException(
                "The DevStack (development identity provider and Tencent Push simulator) must not be enabled in Production. "
                + "Set DevStack:IdentityProvider:Enabled and DevStack:TencentSimulator:Enabled to false.");
        }

        DevIdentityProviderClient? identityProvider = null;
        DevTencentSimulatorClient? simulator = null;

        if (identityProviderEnabled || simulatorEnabled)
        {
            var origin = ParseOrigin(options.Origin);

            if (identityProviderEnabled)
            {
                var clientId = options.IdentityProvider.ClientId?.Trim();
                if (string.IsNullOrEmpty(clientId))
                {
                    throw new InvalidOperationException("DevStack:IdentityProvider:ClientId must not be empty.");
                }

                var extraUploaders = options.IdentityProvider.ExtraUploaders;
                if (extraUploaders is < 0 or > DemoUsers.MaxExtraUploaders)
                {
                    throw new InvalidOperationException($"DevStack:IdentityProvider:ExtraUploaders must be a count from 0 to {DemoUsers.MaxExtraUploaders}.");
                }

                identityProvider = new DevIdentityProviderClient(
                    new Uri(origin + "/"),
                    clientId,
                    Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32)));
                builder.Services.AddDevIdentityProvider(new DevIdentityProviderSettings(origin, identityProvider, new DemoUsers(extraUploaders)));
            }

            if (simulatorEnabled)
            {
                var prefix = ParsePathPrefix(options.TencentSimulator.PathPrefix);
                var apps = TencentSimulatorSettings.ResolveApps(options.TencentSimulator.Apps, "DevStack:TencentSimulator", generateMissingSecrets: true);
                simulator = new DevTencentSimulatorClient(new Uri(origin + prefix + "/"), [.. apps.Select(a => a.Credential)]);
                builder.Services.AddTencentSimulator(new TencentSimulatorSettings(prefix, apps));
            }
        }

        var connection = new DevStackConnection(identityProvider, simulator);
        builder.Services.AddSingleton(connection);
        return connection;
    }

    /// <summary>
    /// Maps the endpoints of the enabled parts, all anonymous. Does nothing when no part is enabled.
    /// Call after <c>UseAuthentication</c>, <c>UseAuthorization</c> and <c>UseAntiforgery</c>.
    /// </summary>
    public static WebApplication MapDevStack(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);

        var connection = app.Services.GetService<DevStackConnection>();
        if (connection?.IdentityProvider is not null)
        {
            app.MapDevIdentityProvider();
        }

        if (connection?.TencentSimulator is not null)
        {
            app.MapTencentSimulator();
        }

        return app;
    }

    private static string ParseOrigin(string? value)
    {
        if (!Uri.TryCreate(value?.Trim(), UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
            || !string.IsNullOrEmpty(uri.UserInfo)
            || !string.IsNullOrEmpty(uri.Query)
            || !string.IsNullOrEmpty(uri.Fragment))
        {
            throw new InvalidOperationException(
                "DevStack:Origin must be the absolute http(s) origin the portal is served on, e.g. http://localhost:5080.");
        }

        return uri.GetLeftPart(UriPartial.Path).TrimEnd('/');
    }

    private static string ParsePathPrefix(string? value)
    {
        var prefix = value?.Trim().TrimEnd('/') ?? string.Empty;
        if (prefix.Length < 2 || prefix[0] != '/' || prefix.IndexOfAny(['?', '#', '\\', ' ']) >= 0)
        {
            throw new InvalidOperationException(
                "DevStack:TencentSimulator:PathPrefix must be a path such as /tencent-simulator.");
        }

        return prefix;
    }
}
