using Dapper;
using Portal.Audit;
using Portal.Data;

namespace Portal.Uploads;

/// <summary>
/// "This exact package was already sent to this app": the uploads whose sent package had a given SHA-256, by the hash of
/// what was sent (the state's, so also a package made by a re-check), latest first.
/// </summary>
public sealed class EarlierSends(PortalDatabase connections, AuditSearch search)
{
    private const string SelectSent =
        "SELECT s.upload_id FROM upload_state s JOIN uploads u ON u.id = s.upload_id "
        + "WHERE s.sent_sha256 = @Sha256 AND s.status = 'sent' AND u.tencent_app = @TencentApp AND s.upload_id <> @Except "
        + "ORDER BY s.status_at DESC LIMIT @Take";

    /// <summary>Up to <paramref name="take"/> uploads other than <paramref name="except"/> that sent a package with one of <paramref name="sha256s"/> to <paramref name="tencentApp"/>.</summary>
    public async Task<IReadOnlyList<UploadEntry>> FindAsync(string tencentApp, IEnumerable<string> sha256s, Guid except, int take, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sha256s);
        var ids = new List<string>();
        await using (var connection = await connections.OpenAsync(cancellationToken))
        {
            foreach (var sha256 in sha256s.Distinct(StringComparer.Ordinal))
            {
                var parameters = new { Sha256 = sha256, TencentApp = tencentApp, Except = DbFormat.Key(except), Take = take };
                ids.AddRange(await connection.QueryAsync<string>(new CommandDefinition(SelectSent, parameters, cancellationToken: cancellationToken)));
            }
        }

        var entries = new List<UploadEntry>();
        foreach (var id in ids.Distinct(StringComparer.Ordinal))
        {
            if (await search.FindAsync(Guid.ParseExact(id, "N"), cancellationToken) is { } entry)
            {
                entries.Add(entry);
            }
        }

        return entries.OrderByDescending(entry => entry.State.StatusAt).Take(take).ToList();
    }
}
