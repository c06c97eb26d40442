using System.ComponentModel.DataAnnotations;

namespace Portal.Data;

/// <summary>Where the portal keeps its state: the SQLite audit database, staged packages and data-protection keys.</summary>
public sealed class StorageOptions
{
    public const string SectionName = "Storage";

    /// <summary>Folder for portal.db, staging/ and keys/. Relative paths are resolved against the content root.</summary>
    [Required(ErrorMessage = "Storage:DataDirectory is required.")]
    public string DataDirectory { get; set; } = "data";

    public string DatabasePath => Path.Combine(DataDirectory, "portal.db");

    public string StagingDirectory => Path.Combine(DataDirectory, "staging");

    public string KeysDirectory => Path.Combine(DataDirectory, "keys");
}
