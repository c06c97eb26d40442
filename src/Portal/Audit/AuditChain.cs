using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Portal.Audit;

/// <summary>
/// The tamper-evident link of each audit event: HMAC-SHA256, keyed by a secret that is not in the database, over the
/// previous event's link and this event's content. Changing, removing or inserting an event breaks every link after it,
/// and without the key nobody can forge new links.
/// </summary>
public sealed class AuditChain
{
    private readonly Lazy<byte[]> _key;

    public AuditChain(byte[] key) => _key = new Lazy<byte[]>(key);

    /// <summary>The key is fetched on first use, so building the service never fails before options validation can report.</summary>
    public AuditChain(Func<byte[]> keySource) => _key = new Lazy<byte[]>(keySource);

    /// <summary>The link before the first event.</summary>
    public const string Genesis = "0000000000000000000000000000000000000000000000000000000000000000";

    public string Link(string previousLink, long seq, string occurredAt, string kind, string actorId, string actorName, string? uploadId, string data)
    {
        // Length-prefixed fields: no choice of values can make two different events hash alike.
        var content = new StringBuilder(previousLink.Length + data.Length + 128);
        foreach (var field in new[] { previousLink, seq.ToString(CultureInfo.InvariantCulture), occurredAt, kind, actorId, actorName, uploadId ?? "", data })
        {
            content.Append(field.Length.ToString(CultureInfo.InvariantCulture)).Append(':').Append(field).Append('\n');
        }

        return Convert.ToHexStringLower(HMACSHA256.HashData(_key.Value, Encoding.UTF8.GetBytes(content.ToString())));
    }
}
