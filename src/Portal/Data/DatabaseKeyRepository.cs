using System.Xml.Linq;
using Dapper;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace Portal.Data;

/// <summary>
/// The data-protection key ring in the shared database (<c>data_protection_keys</c>), so that every replica reads and
/// writes the same keys: a cookie or an antiforgery token one replica issued is read by any other. The keys are stored as
/// the key manager gives them: encrypted when <c>DataProtection:Certificate</c> is configured.
/// </summary>
public sealed class DatabaseKeyRepository(PostgreSqlDatabase database) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var connection = database.Open();
        return connection.Query<string>("SELECT xml FROM data_protection_keys ORDER BY created_at, friendly_name")
            .Select(xml => XElement.Parse(xml))
            .ToList();
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        ArgumentNullException.ThrowIfNull(element);
        using var connection = database.Open();
        connection.Execute(
            "INSERT INTO data_protection_keys (friendly_name, xml, created_at) VALUES (@FriendlyName, @Xml, @CreatedAt)",
            new
            {
                FriendlyName = friendlyName,
                Xml = element.ToString(SaveOptions.DisableFormatting),
                CreatedAt = DbFormat.Timestamp(DateTime.UtcNow),
            });
    }
}
