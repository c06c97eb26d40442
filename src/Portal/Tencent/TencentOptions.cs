using Portal.Packages;

namespace Portal.Tencent;

/// <summary>Tencent Push service access points (the app's region is fixed when it is created in Tencent's console).</summary>
public enum TencentRegion
{
    Guangzhou,
    Shanghai,
    HongKong,
    Singapore,

    /// <summary>Any other base URL, given in <see cref="TencentAppOptions.BaseUrl"/>.</summary>
    Custom,

    /// <summary>The development Tencent Push simulator hosted by this portal (Development only).</summary>
    Simulator,
}

/// <summary>Configuration section <c>Tencent</c>.</summary>
public sealed class TencentOptions
{
    public const string SectionName = "Tencent";

    /// <summary>How long opening one connection to Tencent (TCP and TLS) may take before it counts as failed.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// How many times the portal tries to open a connection before giving up (at least 1). Only a connection that could
    /// not be opened is tried again: once a byte of the package has left, the upload is never repeated automatically.
    /// </summary>
    public int ConnectAttempts { get; set; } = 3;

    /// <summary>The wait before the second connection attempt; it doubles before each further one.</summary>
    public TimeSpan ConnectRetryDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// The longest one upload may take in total, connection, body and answer included: 30 minutes carries 100 MB at
    /// about 0.5 Mbit/s.
    /// </summary>
    public TimeSpan UploadTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>
    /// The longest Tencent may go without taking a byte of the package or, once the whole package is sent, without
    /// answering.
    /// </summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How long the portal stops sending to an app after Tencent answers "request too fast" (retCode 1008028) or HTTP 429
    /// without a Retry-After. It doubles with each further refusal in a row, up to 16 times this value.
    /// </summary>
    public TimeSpan RateLimitBackoff { get; set; } = TimeSpan.FromMinutes(1);

    public List<TencentAppOptions> Apps { get; set; } = [];

    public TencentAppOptions? FindApp(string name) => Apps.FirstOrDefault(a => string.Equals(a.Name, name, StringComparison.Ordinal));

    /// <summary>The apps a user may upload to, given the group or role claim values their identity provider sent.</summary>
    public IEnumerable<TencentAppOptions> AppsAvailableTo(IEnumerable<string> userGroups)
    {
        var groups = userGroups.ToHashSet(StringComparer.Ordinal);
        return Apps.Where(app => app.IsAvailableTo(groups));
    }
}

/// <summary>One Tencent Push app the portal may upload to.</summary>
public sealed class TencentAppOptions
{
    /// <summary>What uploaders see and the audit trail records.</summary>
    public string Name { get; set; } = "";

    public TencentRegion Region { get; set; } = TencentRegion.Guangzhou;

    /// <summary>Only for <see cref="TencentRegion.Custom"/> (and filled in for the simulator).</summary>
    public Uri? BaseUrl { get; set; }

    public string AccessId { get; set; } = "";

    /// <summary>From an environment variable or a secret store only; never logged or shown.</summary>
    public string SecretKey { get; set; } = "";

    /// <summary>The kinds of package this app takes (Account, Token); empty means every kind.</summary>
    public List<PackageKind> PackageKinds { get; set; } = [];

    /// <summary>
    /// Identity-provider group or role claim values (the claim named by <c>Oidc:RoleClaimType</c>, compared exactly) whose
    /// members may upload to this app; empty means every uploader.
    /// </summary>
    public List<string> AllowedGroups { get; set; } = [];

    public bool IsAvailableTo(IEnumerable<string> userGroups)
    {
        ArgumentNullException.ThrowIfNull(userGroups);
        return AllowedGroups.Count == 0 || userGroups.Any(group => AllowedGroups.Contains(group, StringComparer.Ordinal));
    }

    public bool Accepts(PackageKind kind) => PackageKinds.Count == 0 || PackageKinds.Contains(kind);

    /// <summary>The access point's base URL, always ending with a slash so that relative paths append to it.</summary>
    public Uri ResolveBaseUrl() => Region switch
    {
        TencentRegion.Guangzhou => new Uri("https://api.tpns.tencent.com/"),
        TencentRegion.Shanghai => new Uri("https://api.tpns.sh.tencent.com/"),
        TencentRegion.HongKong => new Uri("https://api.tpns.hk.tencent.com/"),
        TencentRegion.Singapore => new Uri("https://api.tpns.sgp.tencent.com/"),
        _ when BaseUrl is null => throw new InvalidOperationException($"Tencent app '{Name}' has region {Region} but no BaseUrl."),
        _ when BaseUrl.AbsolutePath.EndsWith('/') => BaseUrl,
        _ => new Uri(BaseUrl + "/"),
    };
}
