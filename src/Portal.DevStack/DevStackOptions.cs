namespace Portal.DevStack;

/// <summary>The <c>DevStack</c> configuration section.</summary>
internal sealed class DevStackOptions
{
    public const string SectionName = "DevStack";

    /// <summary>The public origin the portal is served on, e.g. <c>http://localhost:5080</c>; empty: where it listens.</summary>
    public string? Origin { get; set; }

    public DevIdentityProviderOptions IdentityProvider { get; set; } = new();

    public DevTencentSimulatorOptions TencentSimulator { get; set; } = new();
}

internal sealed class DevIdentityProviderOptions
{
    public bool Enabled { get; set; }

    public string ClientId { get; set; } = "portal-dev";

    /// <summary>Demo users <c>uploader1</c>…<c>uploaderN</c> (group <c>marketing</c>) beside mia, aaron and olivia; 0 for none.</summary>
    public int ExtraUploaders { get; set; }

    /// <summary>
    /// The origin of the portal this provider signs users in for, when it is not the provider's own (a provider run on
    /// its own, as a third party would be); empty: the same origin.
    /// </summary>
    public string? ClientOrigin { get; set; }
}

internal sealed class DevTencentSimulatorOptions
{
    public const string DefaultAccessId = "1500000001";

    public bool Enabled { get; set; }

    public string PathPrefix { get; set; } = "/tencent-simulator";

    public IList<DevTencentSimulatorAppOptions> Apps { get; } = [];
}

internal sealed class DevTencentSimulatorAppOptions
{
    public string? AccessId { get; set; }

    /// <summary>Empty means: generate a random one for this process (DevStack only; the standalone host needs one).</summary>
    public string? SecretKey { get; set; }

    /// <summary>A fault injected into every upload of this app (syntax: <see cref="TencentSimulatorFaults"/>); empty means none.</summary>
    public string? Fault { get; set; }
}
