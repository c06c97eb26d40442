using System.ComponentModel.DataAnnotations;

namespace Portal.Data;

/// <summary>Which database holds the trail, the send queue and the sessions.</summary>
public enum StorageProvider
{
    /// <summary>A file in the data directory: one machine (the default).</summary>
    Sqlite,

    /// <summary>A PostgreSQL database that every replica of the portal shares.</summary>
    PostgreSql,
}

/// <summary>Where the portal keeps its state: the database, staged packages and data-protection keys.</summary>
public sealed class StorageOptions
{
    public const string SectionName = "Storage";

    private string? _stagingDirectory;

    /// <summary><c>Sqlite</c> or <c>PostgreSql</c>, as configured (read through <see cref="ProviderKind"/>).</summary>
    public string Provider { get; set; } = nameof(StorageProvider.Sqlite);

    public bool IsKnownProvider => Enum.GetNames<StorageProvider>().Contains(Provider, StringComparer.OrdinalIgnoreCase);

    public StorageProvider ProviderKind =>
        string.Equals(Provider, nameof(StorageProvider.PostgreSql), StringComparison.OrdinalIgnoreCase) ? StorageProvider.PostgreSql : StorageProvider.Sqlite;

    /// <summary>Folder for portal.db, staging/ and keys/. Relative paths are resolved against the content root.</summary>
    [Required(ErrorMessage = "Storage:DataDirectory is required.")]
    public string DataDirectory { get; set; } = "data";

    /// <summary>
    /// Where received packages are kept until they are sent and purged; <c>staging</c> in the data directory unless set.
    /// Replicas on one PostgreSQL database must all mount the same folder here: any of them may send what another received.
    /// </summary>
    public string StagingDirectory
    {
        get => _stagingDirectory ?? Path.Combine(DataDirectory, "staging");
        set => _stagingDirectory = string.IsNullOrWhiteSpace(value) ? null : value;
    }

    /// <summary><c>ConnectionStrings:Portal</c>: the PostgreSQL role the portal works as (no UPDATE or DELETE on the trail).</summary>
    public string? ConnectionString { get; set; }

    /// <summary>
    /// <c>ConnectionStrings:PortalMigrations</c>: the role that owns the schema, used only to migrate it at start-up and to
    /// grant the portal's role what it needs; without it the portal's own role migrates (and must own the schema).
    /// </summary>
    public string? MigrationConnectionString { get; set; }

    public string DatabasePath => Path.Combine(DataDirectory, "portal.db");

    public string KeysDirectory => Path.Combine(DataDirectory, "keys");
}
