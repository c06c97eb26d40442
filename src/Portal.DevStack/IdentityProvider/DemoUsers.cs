namespace Portal.DevStack.IdentityProvider;

/// <summary>A demo account of the development identity provider.</summary>
internal sealed record DemoUser(string UserName, string Subject, string Name, string Email, IReadOnlyList<string> Groups);

/// <summary>
/// The demo accounts: mia, aaron and olivia, then <c>uploader1</c>…<c>uploaderN</c> in the <c>marketing</c> group when
/// <c>DevStack:IdentityProvider:ExtraUploaders</c> asks for them (load tests sign in many distinct uploaders). The password
/// is a development-only demo value, shown on the sign-in page on purpose.
/// </summary>
internal sealed class DemoUsers(int extraUploaders)
{
    public const string Password = "demo";

    /// <summary>The most numbered uploaders there can be: the sign-in page lists them all.</summary>
    public const int MaxExtraUploaders = 100;

    public IReadOnlyList<DemoUser> All { get; } =
    [
        new("mia", "dev-mia", "Mia Marketing", "mia@example.com", ["marketing"]),
        new("aaron", "dev-aaron", "Aaron Auditor", "aaron@example.com", ["audit-team"]),
        new("olivia", "dev-olivia", "Olivia Owner", "olivia@example.com", ["marketing", "audit-team"]),
        .. Enumerable.Range(1, extraUploaders)
            .Select(n => new DemoUser($"uploader{n}", $"dev-uploader{n}", $"Uploader {n}", $"uploader{n}@example.com", ["marketing"])),
    ];

    public DemoUser? FindByUserName(string? userName) =>
        All.FirstOrDefault(u => string.Equals(u.UserName, userName?.Trim(), StringComparison.OrdinalIgnoreCase));

    public DemoUser? FindBySubject(string? subject) =>
        All.FirstOrDefault(u => string.Equals(u.Subject, subject, StringComparison.Ordinal));
}
