namespace Portal.Tests.TestHost;

/// <summary>One portal for the whole class: starting it (OpenIddict, migrations) is the slow part.</summary>
public sealed class PortalFixture : IDisposable
{
    public PortalFactory Factory { get; } = new();

    public void Dispose() => Factory.Dispose();
}
