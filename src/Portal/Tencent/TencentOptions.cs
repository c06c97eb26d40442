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

    /// <summary>How long one upload may take, body included: sized for 100 MB on a slow link.</summary>
    public TimeSpan UploadTimeout { get; set; } = TimeSpan.FromMinutes(10);

    public List<TencentAppOptions> Apps { get; set; } = [];

    public TencentAppOptions? FindApp(string name) => Apps.FirstOrDefault(a => string.Equals(a.Name, name, StringComparison.Ordinal));
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

    public Uri ResolveBaseUrl() => Region switch
    {
        TencentRegion.Guangzhou => new Uri("https://api.tpns.tencent.com/"),
        TencentRegion.Shanghai => new Uri("https://api.tpns.sh.tencent.com/"),
        TencentRegion.HongKong => new Uri("https://api.tpns.hk.tencent.com/"),
        TencentRegion.Singapore => new Uri("https://api.tpns.sgp.tencent.com/"),
        _ => BaseUrl ?? throw new InvalidOperationException($"Tencent app '{Name}' has region {Region} but no BaseUrl."),
    };
}
