using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace Portal.Data;

/// <summary>Opens one connection per operation on the audit database file.</summary>
public sealed class SqliteConnectionFactory(IOptions<StorageOptions> options)
{
    static SqliteConnectionFactory() => DbFormat.EnsureRegistered();

    private readonly string _connectionString = new SqliteConnectionStringBuilder
    {
        DataSource = options.Value.DatabasePath,
        Mode = SqliteOpenMode.ReadWriteCreate,
        Pooling = true,
        // Seconds a command waits for a competing writer before it fails (SQLite busy timeout).
        DefaultTimeout = 30,
    }.ToString();

    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken = default)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }
}
