namespace Portal.Auth;

/// <summary>Where a sign-in or sign-out may send the browser back to: a path of this portal, nothing else.</summary>
public static class ReturnUrl
{
    /// <summary>
    /// <paramref name="returnUrl"/> when it is a plain local path, otherwise "/". Browsers drop tabs and line breaks from
    /// URLs (so "/\t/evil.example" would become "//evil.example", another origin), and a CR or LF cannot go into a
    /// Location header at all: any control character makes the value unusable.
    /// </summary>
    public static string LocalOrRoot(string? returnUrl) =>
        returnUrl is ['/', ..] && !returnUrl.StartsWith("//", StringComparison.Ordinal) && !returnUrl.StartsWith("/\\", StringComparison.Ordinal)
            && !returnUrl.Any(char.IsControl) && Uri.TryCreate(returnUrl, UriKind.Relative, out _)
            ? returnUrl
            : "/";
}
