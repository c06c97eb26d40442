using System.Data.Common;
using Dapper;
using Portal.Data;

namespace Portal.Audit;

/// <summary>
/// Partial user search over <c>audit_users</c>: everyone the trail names, one row each (few, next to a million uploads),
/// kept in step by triggers of migration 0006. The ids found then filter the indexed <c>uploads.user_id</c> and
/// <c>audit_events.actor_id</c>.
/// </summary>
public static class AuditUsers
{
    /// <summary>
    /// Ids of the users whose name or e-mail contains <paramref name="text"/> in any letter case, or whose id is
    /// <paramref name="text"/>; <c>%</c> and <c>_</c> in it match themselves.
    /// </summary>
    public static async Task<string[]> MatchingIdsAsync(DbConnection connection, StorageProvider provider, string text, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(text);
        var like = provider == StorageProvider.PostgreSql ? "ILIKE" : "LIKE";
        var trimmed = text.Trim();
        var pattern = "%" + trimmed.Replace(@"\", @"\\", StringComparison.Ordinal).Replace("%", @"\%", StringComparison.Ordinal).Replace("_", @"\_", StringComparison.Ordinal) + "%";
        return (await connection.QueryAsync<string>(new CommandDefinition(
            $@"SELECT user_id FROM audit_users WHERE user_name {like} @Pattern ESCAPE '\' OR user_email {like} @Pattern ESCAPE '\' OR user_id = @Text",
            new { Pattern = pattern, Text = trimmed }, cancellationToken: cancellationToken))).ToArray();
    }

    /// <summary>
    /// "<paramref name="column"/> is one of the ids in parameter <paramref name="parameter"/>": Dapper spells a list out on
    /// SQLite, and hands it to Npgsql as one array.
    /// </summary>
    public static string IsOneOf(string column, string parameter, StorageProvider provider) =>
        provider == StorageProvider.PostgreSql ? $"{column} = ANY(@{parameter})" : $"{column} IN @{parameter}";
}
