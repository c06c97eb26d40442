using System.Security.Claims;
using System.Security.Cryptography;
using Dapper;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;
using Portal.Data;

namespace Portal.Auth;

/// <summary>An active session as auditors see it.</summary>
public sealed record ActiveSession
{
    public string Id { get; init; } = "";
    public string UserId { get; init; } = "";
    public string UserName { get; init; } = "";
    public string? ClientIp { get; init; }
    public string? UserAgent { get; init; }
    public DateTime StartedAt { get; init; }
    public DateTime LastSeenAt { get; init; }
    public DateTime ExpiresAt { get; init; }
}

/// <summary>
/// Keeps sign-in sessions on the server (<c>sessions</c>): the cookie carries only a random key. The ticket (claims and
/// the provider's tokens) is stored encrypted with Data Protection under the key's SHA-256, so ending a session — signing
/// out, an auditor, its absolute lifetime — takes effect at once, for every copy of the cookie and across restarts.
/// </summary>
public sealed class SessionStore(
    PortalDatabase connections,
    IDataProtectionProvider protection,
    IOptionsMonitor<SessionOptions> options,
    IHttpContextAccessor http,
    TimeProvider clock) : ITicketStore
{
    /// <summary>The claim that names a principal's session (the row id, never the cookie's key).</summary>
    public const string SessionClaim = "portal_session";

    /// <summary>"Last seen" is written at most this often, not on every request.</summary>
    private static readonly TimeSpan SeenResolution = TimeSpan.FromMinutes(1);

    private readonly IDataProtector _protector = protection.CreateProtector("Portal.Auth.SessionStore");

    private const string Insert = """
        INSERT INTO sessions (id, user_id, user_name, client_ip, user_agent, started_at, last_seen_at, expires_at, ticket)
        VALUES (@Id, @UserId, @UserName, @ClientIp, @UserAgent, @Now, @Now, @ExpiresAt, @Ticket)
        """;

    private const string SelectLive = """
        SELECT ticket AS Ticket, last_seen_at AS LastSeenAt FROM sessions WHERE id = @Id AND ended_at IS NULL AND expires_at > @Now
        """;

    private const string SelectActive = """
        SELECT id AS Id, user_id AS UserId, user_name AS UserName, client_ip AS ClientIp, user_agent AS UserAgent,
               started_at AS StartedAt, last_seen_at AS LastSeenAt, expires_at AS ExpiresAt
        FROM sessions WHERE ended_at IS NULL AND expires_at > @Now ORDER BY last_seen_at DESC
        """;

    public async Task<string> StoreAsync(AuthenticationTicket ticket)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        var key = Base64UrlKey();
        var id = IdOf(key);
        // The principal names its session, so that open pages and auditors can find it without the key.
        ((ClaimsIdentity)ticket.Principal.Identity!).AddClaim(new Claim(SessionClaim, id));
        var now = clock.GetUtcNow().UtcDateTime;
        var request = http.HttpContext;
        await using var connection = await connections.OpenAsync();
        await connection.ExecuteAsync(Insert, new
        {
            Id = id,
            UserId = ticket.Principal.FindFirstValue("sub") ?? "",
            UserName = ticket.Principal.Identity?.Name ?? "",
            ClientIp = request?.Connection.RemoteIpAddress?.ToString(),
            UserAgent = request?.Request.Headers.UserAgent.ToString() is { Length: > 0 } agent ? agent[..Math.Min(agent.Length, 512)] : null,
            Now = DbFormat.Timestamp(now),
            ExpiresAt = DbFormat.Timestamp(now + options.CurrentValue.AbsoluteLifetime),
            Ticket = Protect(ticket),
        });
        return key;
    }

    public Task RenewAsync(string key, AuthenticationTicket ticket) => RenewByIdAsync(IdOf(key), ticket);

    public Task<AuthenticationTicket?> RetrieveAsync(string key) => RetrieveByIdAsync(IdOf(key));

    /// <summary>The ticket of an active session, by the id its principal names (open pages hold the id, never the key).</summary>
    public async Task<AuthenticationTicket?> RetrieveByIdAsync(string id)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using var connection = await connections.OpenAsync();
        var row = await connection.QuerySingleOrDefaultAsync<(byte[] Ticket, DateTime LastSeenAt)?>(SelectLive, new { Id = id, Now = DbFormat.Timestamp(now) });
        if (row is not { } live)
        {
            return null;
        }

        if (now - live.LastSeenAt >= SeenResolution)
        {
            await connection.ExecuteAsync("UPDATE sessions SET last_seen_at = @Now WHERE id = @Id", new { Id = id, Now = DbFormat.Timestamp(now) });
        }

        return TicketSerializer.Default.Deserialize(_protector.Unprotect(live.Ticket));
    }

    /// <summary>Replaces an active session's ticket (refreshed claims and tokens).</summary>
    public async Task RenewByIdAsync(string id, AuthenticationTicket ticket)
    {
        await using var connection = await connections.OpenAsync();
        await connection.ExecuteAsync("UPDATE sessions SET ticket = @Ticket, last_seen_at = @Now WHERE id = @Id AND ended_at IS NULL", new
        {
            Id = id,
            Ticket = Protect(ticket),
            Now = DbFormat.Timestamp(clock.GetUtcNow().UtcDateTime),
        });
    }

    /// <summary>Signing out: the session ends for good, whatever copies of its cookie exist.</summary>
    public Task RemoveAsync(string key) => EndAsync(IdOf(key), "sign-out");

    /// <summary>Ends a session by its id (an auditor, or a session whose provider no longer accepts it); false when it was not active.</summary>
    public async Task<bool> EndAsync(string id, string endedBy)
    {
        await using var connection = await connections.OpenAsync();
        return await connection.ExecuteAsync("UPDATE sessions SET ended_at = @Now, ended_by = @EndedBy WHERE id = @Id AND ended_at IS NULL",
            new { Id = id, EndedBy = endedBy, Now = DbFormat.Timestamp(clock.GetUtcNow().UtcDateTime) }) == 1;
    }

    public async Task<IReadOnlyList<ActiveSession>> ActiveAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return (await connection.QueryAsync<ActiveSession>(new CommandDefinition(SelectActive,
            new { Now = DbFormat.Timestamp(clock.GetUtcNow().UtcDateTime) }, cancellationToken: cancellationToken))).AsList();
    }

    private byte[] Protect(AuthenticationTicket ticket) => _protector.Protect(TicketSerializer.Default.Serialize(ticket));

    private static string Base64UrlKey() => System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    private static string IdOf(string key) => Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(key)));
}
