namespace Portal.DevStack.IdentityProvider;

/// <summary>A demo account of the development identity provider.</summary>
internal sealed record DemoUser(string UserName, string Subject, string Name, string Email, IReadOnlyList<string> Groups);

/// <summary>
/// The demo accounts. The password is a development-only demo value, shown on the sign-in page on purpose.
/// </summary>
internal static class DemoUsers
{
    public const string Password = "demo";

    public static IReadOnlyList<DemoUser> All { get; } =
    [
        new("mia", "dev-mia", "Mia Marketing", "mia@example.com", ["marketing"]),
        new("aaron", "dev-aaron", "Aaron Auditor", "aaron@example.com", ["audit-team"]),
        new("olivia", "dev-olivia", "Olivia Owner", "olivia@example.com", ["marketing", "audit-team"]),
    ];

    public static DemoUser? FindByUserName(string? userName) =>
        All.FirstOrDefault(u => string.Equals(u.UserName, userName?.Trim(), StringComparison.OrdinalIgnoreCase));

    public static DemoUser? FindBySubject(string? subject) =>
        All.FirstOrDefault(u => string.Equals(u.Subject, subject, StringComparison.Ordinal));
}
