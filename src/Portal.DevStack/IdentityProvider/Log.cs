using Microsoft.Extensions.Logging;

namespace Portal.DevStack.IdentityProvider;

internal static partial class Log
{
    [LoggerMessage(EventId = 4100, Level = LogLevel.Warning,
        Message = "Development identity provider enabled at {Authority} (client {ClientId}); demo users: {UserNames}. Development only.")]
    public static partial void IdentityProviderEnabled(this ILogger logger, Uri authority, string clientId, string userNames);

    [LoggerMessage(EventId = 4101, Level = LogLevel.Information,
        Message = "Registered client {ClientId} with redirect URI {RedirectUri} and post-logout redirect URI {PostLogoutRedirectUri}")]
    public static partial void ClientRegistered(this ILogger logger, string clientId, Uri redirectUri, Uri postLogoutRedirectUri);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Information, Message = "Demo user {UserName} signed in to the development identity provider")]
    public static partial void UserSignedIn(this ILogger logger, string userName);

    [LoggerMessage(EventId = 4103, Level = LogLevel.Information, Message = "Rejected a sign-in attempt for {UserName}: unknown user or wrong password")]
    public static partial void SignInRejected(this ILogger logger, string userName);

    [LoggerMessage(EventId = 4104, Level = LogLevel.Warning, Message = "Rejected a sign-in form with a missing or invalid antiforgery token")]
    public static partial void AntiforgeryRejected(this ILogger logger, Exception exception);

    [LoggerMessage(EventId = 4105, Level = LogLevel.Information, Message = "Issued an authorization code to client {ClientId} for {Subject}")]
    public static partial void AuthorizationGranted(this ILogger logger, string? clientId, string subject);

    [LoggerMessage(EventId = 4106, Level = LogLevel.Information, Message = "Signed out of the development identity provider")]
    public static partial void SignedOut(this ILogger logger);
}
