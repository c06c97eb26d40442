using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace Portal.Hosting;

/// <summary>
/// Behind a TLS-terminating proxy: <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c> are believed only from the proxies
/// listed in <c>ForwardedHeaders:KnownProxies</c> (addresses) and <c>ForwardedHeaders:KnownNetworks</c> (CIDR ranges).
/// Anyone else talking to the portal directly cannot put another address into the audit trail.
/// </summary>
public static class ProxyExtensions
{
    public const string SectionName = "ForwardedHeaders";

    public static void AddProxySupport(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var section = builder.Configuration.GetSection(SectionName);
        var proxies = section.GetSection("KnownProxies").Get<string[]>() ?? [];
        var networks = section.GetSection("KnownNetworks").Get<string[]>() ?? [];
        // ASPNETCORE_FORWARDEDHEADERS_ENABLED makes the host read forwarded headers from anyone; the lists below narrow it.
        var enabledByHost = string.Equals(builder.Configuration["FORWARDEDHEADERS_ENABLED"], "true", StringComparison.OrdinalIgnoreCase);
        builder.Services.AddOptions<ForwardedHeadersOptions>()
            .PostConfigure(options =>
            {
                options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
                options.KnownProxies.Clear();
                options.KnownIPNetworks.Clear();
                foreach (var proxy in proxies.Where(proxy => IPAddress.TryParse(proxy, out _)))
                {
                    options.KnownProxies.Add(IPAddress.Parse(proxy));
                }

                foreach (var network in networks.Where(network => System.Net.IPNetwork.TryParse(network, out _)))
                {
                    options.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
                }
            })
            .Validate(_ => Problems(proxies, networks, enabledByHost).Count == 0, string.Join(" ", Problems(proxies, networks, enabledByHost)))
            .ValidateOnStart();
    }

    /// <summary>Reads forwarded headers (from the listed proxies only) when any proxy is listed.</summary>
    public static void UseProxySupport(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var section = app.Configuration.GetSection(SectionName);
        if (section.GetSection("KnownProxies").GetChildren().Any() || section.GetSection("KnownNetworks").GetChildren().Any())
        {
            app.UseForwardedHeaders();
        }
    }

    private static List<string> Problems(string[] proxies, string[] networks, bool enabledByHost)
    {
        var problems = new List<string>();
        problems.AddRange(proxies.Select((proxy, i) => (proxy, i)).Where(p => !IPAddress.TryParse(p.proxy, out _))
            .Select(p => $"{SectionName}:KnownProxies:{p.i} ('{p.proxy}') is not an IP address."));
        problems.AddRange(networks.Select((network, i) => (network, i)).Where(n => !System.Net.IPNetwork.TryParse(n.network, out _))
            .Select(n => $"{SectionName}:KnownNetworks:{n.i} ('{n.network}') is not a network in CIDR form, e.g. 10.0.0.0/8."));
        if (enabledByHost && proxies.Length + networks.Length == 0)
        {
            problems.Add($"ASPNETCORE_FORWARDEDHEADERS_ENABLED is true, but no proxy is trusted: list the proxy in {SectionName}:KnownProxies "
                + $"or its network in {SectionName}:KnownNetworks (environment variables {SectionName}__KnownProxies__0, {SectionName}__KnownNetworks__0).");
        }

        return problems;
    }
}
