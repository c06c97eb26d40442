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
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">
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
            throw Refused(
                "The DevStack (development identity provider and Tencent Push simulator) must not be enabled in Production. "
                + "Set DevStack:IdentityProvider:Enabled and DevStack:TencentSimulator:Enabled to false.");
        }

        DevIdentityProviderClient? identityProvider = null;
        DevTencentSimulatorClient? simulator = null;

        if (identityProviderEnabled || simulatorEnabled)
        {
            var origin = options.Origin is { Length: > 0 } configured ? ParseOrigin(configured, "DevStack:Origin") : ListeningOrigin(builder.Configuration);

            if (identityProviderEnabled)
            {
                var clientId = options.IdentityProvider.ClientId?.Trim();
                if (string.IsNullOrEmpty(clientId))
                {
                    throw Refused("DevStack:IdentityProvider:ClientId must not be empty.");
                }

                var extraUploaders = options.IdentityProvider.ExtraUploaders;
                if (extraUploaders is < 0 or > DemoUsers.MaxExtraUploaders)
                {
                    throw Refused($"DevStack:IdentityProvider:ExtraUploaders must be a count from 0 to {DemoUsers.MaxExtraUploaders}.");
                }

                identityProvider = new DevIdentityProviderClient(new Uri(origin + "/"), clientId, NewSecret())
                {
                    ServiceClients = [.. DemoUsers.ServiceClients.Select(client => new DevServiceClient(client.ClientId, client.DisplayName, client.Roles, NewSecret()))],
                };
                var clientOrigin = options.IdentityProvider.ClientOrigin is { Length: > 0 } client ? ParseOrigin(client, "DevStack:IdentityProvider:ClientOrigin") : origin;
                builder.Services.AddDevIdentityProvider(new DevIdentityProviderSettings(origin, clientOrigin, identityProvider, new DemoUsers(extraUploaders)));
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

    private static string NewSecret() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    /// <summary>A configuration the stack cannot run with: reported, like every options check, by the key and without a stack trace.</summary>
    private static Microsoft.Extensions.Options.OptionsValidationException Refused(string message) =>
        new(DevStackOptions.SectionName, typeof(DevStackOptions), [message]);

    private static string ParseOrigin(string value, string key)
    {
        if (!Uri.TryCreate(value.Trim(), UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
            || !string.IsNullOrEmpty(uri.UserInfo)
            || !string.IsNullOrEmpty(uri.Query)
            || !string.IsNullOrEmpty(uri.Fragment))
        {
            throw Refused(
                $"{key} must be the absolute http(s) origin the portal is served on, e.g. http://localhost:5080.");
        }

        return uri.GetLeftPart(UriPartial.Path).TrimEnd('/');
    }

    /// <summary>
    /// Where the portal listens, as a browser on this machine reaches it: the first of <c>--urls</c> or
    /// <c>ASPNETCORE_URLS</c>, else the first of <c>ASPNETCORE_HTTP_PORTS</c>, else Kestrel's default; a wildcard host
    /// (<c>+</c>, <c>*</c>, <c>0.0.0.0</c>, <c>[::]</c>) is reached as localhost. So the portal started on another port
    /// signs in through itself there.
    /// </summary>
    private static string ListeningOrigin(IConfiguration configuration)
    {
        var url = First(configuration["urls"]) ?? (First(configuration["http_ports"]) is { } port ? $"http://localhost:{port}" : "http://localhost:5000");
        var listening = System.Text.RegularExpressions.Regex.Match(url, @"^(?<scheme>https?)://(?<host>\[[^\]]*\]|[^/:]+)(?<port>:\d+)?", System.Text.RegularExpressions.RegexOptions.IgnoreCase);
        if (!listening.Success || listening.Groups["port"].Value == ":0")
        {
            throw Refused(
                $"The portal listens on '{url}', which a browser cannot be sent back to: set DevStack:Origin to the origin it is reached on, e.g. http://localhost:5080.");
        }

        var host = listening.Groups["host"].Value is "+" or "*" or "0.0.0.0" or "[::]" ? "localhost" : listening.Groups["host"].Value;
        return ParseOrigin($"{listening.Groups["scheme"].Value}://{host}{listening.Groups["port"].Value}", "The listening address");

        static string? First(string? list) => list?.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
    }

    private static string ParsePathPrefix(string? value)
    {
        var prefix = value?.Trim().TrimEnd('/') ?? string.Empty;
        if (prefix.Length < 2 || prefix[0] != '/' || prefix.IndexOfAny(['?', '#', '\\', ' ']) >= 0)
        {
            throw Refused(
                "DevStack:TencentSimulator:PathPrefix must be a path such as /tencent-simulator.");
        }

        return prefix;
    }
}
