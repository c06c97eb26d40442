namespace Portal.Auth;

/// <summary>Configuration section <c>Sessions</c>: how long a sign-in lasts, and how often its groups are asked for again.</summary>
public sealed class SessionOptions
{
    public const string SectionName = "Sessions";

    /// <summary>A session nobody uses for this long ends (sliding).</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromHours(8);

    /// <summary>A session ends this long after sign-in, however active: then the user signs in again.</summary>
    public TimeSpan AbsoluteLifetime { get; set; } = TimeSpan.FromHours(12);

    /// <summary>
    /// How old the groups from the identity provider may get: after this, the portal asks again (with the refresh token
    /// when the provider gave one, otherwise by a new sign-in), so a group removed there is removed here too.
    /// </summary>
    public TimeSpan ClaimsRefreshInterval { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How often an open page checks that its session is still valid and its roles unchanged.</summary>
    public TimeSpan RevalidationInterval { get; set; } = TimeSpan.FromMinutes(1);
}
