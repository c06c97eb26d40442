using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Portal.Audit;
using Portal.Data;

namespace Portal.Tests;

/// <summary>A real SQLite file and staging folder in a fresh temporary directory, schema migrated.</summary>
public sealed class TestStorage : IDisposable
{
    private TestStorage(string directory)
    {
        Options = Microsoft.Extensions.Options.Options.Create(new StorageOptions { DataDirectory = directory });
        Directory.CreateDirectory(Options.Value.StagingDirectory);
        Connections = new SqliteConnectionFactory(Options);
        Audit = new AuditStore(Connections);
    }

    public IOptions<StorageOptions> Options { get; }

    public SqliteConnectionFactory Connections { get; }

    public AuditStore Audit { get; }

    public static async Task<TestStorage> CreateAsync()
    {
        var storage = new TestStorage(Directory.CreateTempSubdirectory("portal-storage-").FullName);
        await new DatabaseMigrator(storage.Connections, NullLogger<DatabaseMigrator>.Instance).MigrateAsync();
        return storage;
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(Options.Value.DataDirectory, recursive: true);
    }
}
