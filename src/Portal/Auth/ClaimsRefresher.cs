using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace Portal.Auth;

/// <summary>
/// Asks the identity provider again for a signed-in user's groups, with the refresh token it gave at sign-in: the new
/// id_token's claims replace the old ones. Without a refresh token, or when the provider refuses it, the caller ends
/// the session and the user signs in again.
/// </summary>
public sealed partial class ClaimsRefresher(IOptionsMonitor<OpenIdConnectOptions> oidcHandlers, ILogger<ClaimsRefresher> logger)
{
    /// <summary>When the groups were last read from the provider, kept in the session's properties.</summary>
    public const string RefreshedAtItem = "portal.claims_at";

    /// <summary>A principal with the provider's current claims and the tokens that came with them; null when that cannot be had.</summary>
    public async Task<(ClaimsPrincipal Principal, IEnumerable<AuthenticationToken> Tokens)?> RefreshAsync(ClaimsPrincipal current, AuthenticationProperties properties,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(properties);
        if (properties.GetTokenValue(OpenIdConnectParameterNames.RefreshToken) is not { Length: > 0 } refreshToken)
        {
            return null;
        }

        var handler = oidcHandlers.Get(OpenIdConnectDefaults.AuthenticationScheme);
        try
        {
            var configuration = await handler.ConfigurationManager!.GetConfigurationAsync(cancellationToken);
            using var response = await handler.Backchannel.PostAsync(configuration.TokenEndpoint, new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = OpenIdConnectGrantTypes.RefreshToken,
                ["refresh_token"] = refreshToken,
                ["client_id"] = handler.ClientId!,
                ["client_secret"] = handler.ClientSecret!,
            }), cancellationToken);
            var message = new OpenIdConnectMessage(await response.Content.ReadAsStringAsync(cancellationToken));
            if (!response.IsSuccessStatusCode || string.IsNullOrEmpty(message.IdToken))
            {
                LogRefused(logger, (int)response.StatusCode, message.Error);
                return null;
            }

            var validation = handler.TokenValidationParameters.Clone();
            validation.ValidIssuer = configuration.Issuer;
            validation.ValidAudience = handler.ClientId;
            validation.IssuerSigningKeys = configuration.SigningKeys;
            var result = await new JsonWebTokenHandler().ValidateTokenAsync(message.IdToken, validation);
            if (!result.IsValid || result.ClaimsIdentity.FindFirst("sub")?.Value != current.FindFirst("sub")?.Value)
            {
                LogRefused(logger, (int)response.StatusCode, result.Exception?.Message ?? "the new id_token names another user");
                return null;
            }

            var tokens = new List<AuthenticationToken>
            {
                new() { Name = OpenIdConnectParameterNames.IdToken, Value = message.IdToken },
                new() { Name = OpenIdConnectParameterNames.RefreshToken, Value = string.IsNullOrEmpty(message.RefreshToken) ? refreshToken : message.RefreshToken },
            };
            if (!string.IsNullOrEmpty(message.AccessToken))
            {
                tokens.Add(new() { Name = OpenIdConnectParameterNames.AccessToken, Value = message.AccessToken });
            }

            // The session names itself in a claim the provider does not send: keep it.
            var identity = result.ClaimsIdentity;
            identity.AddClaims(current.FindAll(SessionStore.SessionClaim));
            return (new ClaimsPrincipal(identity), tokens);
        }
        catch (Exception exception) when (exception is HttpRequestException or InvalidOperationException or TaskCanceledException)
        {
            LogUnreachable(logger, exception);
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "The identity provider refused to refresh a session (HTTP {Status}, {Error}); the user signs in again")]
    private static partial void LogRefused(ILogger logger, int status, string? error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The identity provider could not be reached to refresh a session; the user signs in again")]
    private static partial void LogUnreachable(ILogger logger, Exception exception);
}
