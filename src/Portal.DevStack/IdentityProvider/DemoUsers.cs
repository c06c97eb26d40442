namespace Portal.DevStack.IdentityProvider;

/// <summary>A demo account of the development identity provider.</summary>
internal sealed record DemoUser(string UserName, string Subject, string Name, string Email, IReadOnlyList<string> Groups);

/// <summary>
/// The demo accounts: mia, aaron and olivia, nora (in no group: what a signed-in user without a portal role sees), then
/// <c>uploader1</c>…<c>uploaderN</c> in the <c>marketing</c> group when <c>DevStack:IdentityProvider:ExtraUploaders</c> asks
/// for them (load tests sign in many distinct uploaders). The password is a development-only demo value, shown on the
/// sign-in page on purpose. Groups can change while the provider runs (<see cref="SetGroups"/>), as at a real provider.
/// </summary>
internal sealed class DemoUsers(int extraUploaders)
{
    public const string Password = "demo";

    /// <summary>The most numbered uploaders there can be: the sign-in page lists them all.</summary>
    public const int MaxExtraUploaders = 100;

    private IReadOnlyList<DemoUser> _all =
    [
        new("mia", "dev-mia", "Mia Marketing", "mia@example.com", ["marketing"]),
        new("aaron", "dev-aaron", "Aaron Auditor", "aaron@example.com", ["audit-team"]),
        new("olivia", "dev-olivia", "Olivia Owner", "olivia@example.com", ["marketing", "audit-team"]),
        new("nora", "dev-nora", "Nora Newcomer", "nora@example.com", []),
        .. Enumerable.Range(1, extraUploaders)
            .Select(n => new DemoUser($"uploader{n}", $"dev-uploader{n}", $"Uploader {n}", $"uploader{n}@example.com", ["marketing"])),
    ];

    /// <summary>
    /// The demo service accounts (client credentials), their roles claim mapped to portal roles like the users' groups:
    /// a nightly pipeline that uploads, a reader of the audit trail, and one with no role.
    /// </summary>
    public static readonly IReadOnlyList<(string ClientId, string DisplayName, IReadOnlyList<string> Roles)> ServiceClients =
    [
        ("pipeline-demo", "Nightly CRM export (demo)", ["marketing"]),
        ("audit-reader-demo", "Audit reader (demo)", ["audit-team"]),
        ("no-role-demo", "Unmapped service (demo)", []),
    ];

    public IReadOnlyList<DemoUser> All => Volatile.Read(ref _all);

    /// <summary>A user's groups change at the provider (a test removing someone from a group); the next token carries them.</summary>
    public void SetGroups(string userName, IReadOnlyList<string> groups)
    {
        var user = FindByUserName(userName) ?? throw new ArgumentException($"There is no demo user '{userName}'.", nameof(userName));
        Volatile.Write(ref _all, [.. All.Select(candidate => candidate == user ? user with { Groups = groups } : candidate)]);
    }

    public DemoUser? FindByUserName(string? userName) =>
        All.FirstOrDefault(u => string.Equals(u.UserName, userName?.Trim(), StringComparison.OrdinalIgnoreCase));

    public DemoUser? FindBySubject(string? subject) =>
        All.FirstOrDefault(u => string.Equals(u.Subject, subject, StringComparison.Ordinal));
}
