using System.Data;
using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Portal.Data;

/// <summary>
/// The portal's database, SQLite or PostgreSQL: opens one connection per operation, and begins the kinds of transaction
/// the trail needs, each as its provider gives it. The SQL itself is shared wherever the two agree; where they do not,
/// the code that owns the statement holds both (<see cref="Sql"/>).
/// </summary>
public abstract class PortalDatabase
{
    static PortalDatabase() => DbFormat.EnsureRegistered();

    public abstract StorageProvider Provider { get; }

    public abstract Task<DbConnection> OpenAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// The write transaction every change to the audit trail runs in: one at a time across every process that shares the
    /// database, taken before anything is read, so two writers never extend the same link of the chain or both see an
    /// upload in the state that lets only one of them move it.
    /// </summary>
    public abstract Task<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken = default);

    /// <summary>A read-only transaction that sees one moment of the database throughout, while writers go on.</summary>
    public abstract Task<DbTransaction> BeginSnapshotAsync(DbConnection connection, CancellationToken cancellationToken = default);

    /// <summary>The statement as this provider needs it.</summary>
    public string Sql(string sqlite, string postgreSql) => Provider == StorageProvider.PostgreSql ? postgreSql : sqlite;

    /// <summary>The connection migrations run on: the schema owner's, where it is not the portal's own.</summary>
    internal virtual Task<DbConnection> OpenForMigrationsAsync(CancellationToken cancellationToken) => OpenAsync(cancellationToken);

    /// <summary>Once per start, before the first migration transaction.</summary>
    internal virtual Task PrepareForMigrationsAsync(DbConnection connection) => Task.CompletedTask;

    /// <summary>A transaction that holds the migration lock: replicas starting together migrate one after the other.</summary>
    internal abstract Task<DbTransaction> BeginMigrationAsync(DbConnection connection, CancellationToken cancellationToken);

    /// <summary>After the last migration, in the transaction that found nothing left to apply.</summary>
    internal virtual Task AfterMigrationsAsync(DbConnection connection, DbTransaction transaction) => Task.CompletedTask;

    public static PortalDatabase Create(StorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.ProviderKind == StorageProvider.PostgreSql ? new PostgreSqlDatabase(options) : new SqliteDatabase(options);
    }
}

/// <summary>The database file in the data directory.</summary>
public sealed class SqliteDatabase(StorageOptions options) : PortalDatabase
{
    private readonly string _connectionString = new SqliteConnectionStringBuilder
    {
        DataSource = options.DatabasePath,
        Mode = SqliteOpenMode.ReadWriteCreate,
        Pooling = true,
        // Seconds a command waits for a competing writer before it fails (SQLite busy timeout).
        DefaultTimeout = 30,
    }.ToString();

    public override StorageProvider Provider => StorageProvider.Sqlite;

    public override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken = default)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    /// <summary>BEGIN IMMEDIATE: the file's write lock is taken before the first read; a competing writer waits up to the busy timeout.</summary>
    public override Task<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken = default) =>
        Task.FromResult<DbTransaction>(((SqliteConnection)connection).BeginTransaction(deferred: false));

    /// <summary>A deferred transaction: under WAL its first read fixes the snapshot, and writers are not held up.</summary>
    public override Task<DbTransaction> BeginSnapshotAsync(DbConnection connection, CancellationToken cancellationToken = default) =>
        Task.FromResult<DbTransaction>(((SqliteConnection)connection).BeginTransaction(deferred: true));

    /// <summary>WAL lets auditors read while an upload is being recorded; it is a property of the file, so set once here.</summary>
    internal override Task PrepareForMigrationsAsync(DbConnection connection) => Dapper.SqlMapper.ExecuteAsync(connection, "PRAGMA journal_mode = WAL;");

    internal override Task<DbTransaction> BeginMigrationAsync(DbConnection connection, CancellationToken cancellationToken) =>
        BeginWriteAsync(connection, cancellationToken);
}

/// <summary>A PostgreSQL database shared by every replica (<c>ConnectionStrings:Portal</c>).</summary>
public sealed class PostgreSqlDatabase : PortalDatabase, IDisposable
{
    /// <summary>The chain head's single row, locked until commit: PostgreSQL's equivalent of SQLite's BEGIN IMMEDIATE for the trail.</summary>
    private const string LockChainHead = "SELECT seq FROM audit_chain_head FOR UPDATE";

    /// <summary>A transaction-scoped advisory lock only migrations take ("portal" in ASCII).</summary>
    private const string LockMigrations = "SELECT pg_advisory_xact_lock(110442416988524)";

    private readonly NpgsqlDataSource _dataSource;
    private readonly string? _migrationConnectionString;

    public PostgreSqlDatabase(StorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _dataSource = NpgsqlDataSource.Create(WithoutParallelQueries(options.ConnectionString
            ?? throw new InvalidOperationException("ConnectionStrings:Portal is required with Storage:Provider PostgreSql.")));
        _migrationConnectionString = options.MigrationConnectionString;
    }

    public override StorageProvider Provider => StorageProvider.PostgreSql;

    /// <summary>
    /// The portal's queries read a page or a bounded count through an index: starting parallel workers costs more than
    /// they save (the audit log's combined filter at 1 M uploads: 79 ms with them, 22 ms without). Set first, so options
    /// an operator puts in the connection string still decide.
    /// </summary>
    internal static string WithoutParallelQueries(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        builder.Options = $"-c max_parallel_workers_per_gather=0 {builder.Options}".TrimEnd();
        return builder.ConnectionString;
    }

    /// <summary>The role the portal works as.</summary>
    public string RoleName => new NpgsqlConnectionStringBuilder(_dataSource.ConnectionString).Username ?? "";

    public override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken = default) =>
        await _dataSource.OpenConnectionAsync(cancellationToken);

    /// <summary>For the few callers that cannot wait asynchronously (the data-protection key ring).</summary>
    public DbConnection Open() => _dataSource.OpenConnection();

    public override async Task<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken);
        await Dapper.SqlMapper.ExecuteAsync(connection, new Dapper.CommandDefinition(LockChainHead, transaction: transaction, cancellationToken: cancellationToken));
        return transaction;
    }

    public override async Task<DbTransaction> BeginSnapshotAsync(DbConnection connection, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);
        await Dapper.SqlMapper.ExecuteAsync(connection, new Dapper.CommandDefinition("SET TRANSACTION READ ONLY", transaction: transaction, cancellationToken: cancellationToken));
        return transaction;
    }

    internal override async Task<DbConnection> OpenForMigrationsAsync(CancellationToken cancellationToken)
    {
        if (_migrationConnectionString is null)
        {
            return await OpenAsync(cancellationToken);
        }

        var connection = new NpgsqlConnection(_migrationConnectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    internal override async Task<DbTransaction> BeginMigrationAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await Dapper.SqlMapper.ExecuteAsync(connection, LockMigrations, transaction: transaction);
        return transaction;
    }

    /// <summary>
    /// With a schema owner of its own, the portal's role gets what it needs and no more: every table's rows to read and
    /// write, except that the trail (<c>uploads</c>, <c>audit_events</c>) can only be added to, the chain head only
    /// advanced, and the migration history only read. Run at every start, so tables added later are covered.
    /// </summary>
    internal override async Task AfterMigrationsAsync(DbConnection connection, DbTransaction transaction)
    {
        var owner = new NpgsqlConnectionStringBuilder(connection.ConnectionString).Username;
        if (_migrationConnectionString is null || string.Equals(owner, RoleName, StringComparison.Ordinal))
        {
            return;
        }

        var (schema, role) = await Dapper.SqlMapper.QuerySingleAsync<(string, string)>(connection,
            "SELECT quote_ident(current_schema()), quote_ident(@Role)", new { Role = RoleName }, transaction);
        await Dapper.SqlMapper.ExecuteAsync(connection, $"""
            GRANT USAGE ON SCHEMA {schema} TO {role};
            GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema} TO {role};
            REVOKE UPDATE, DELETE, TRUNCATE ON uploads, audit_events FROM {role};
            REVOKE DELETE, TRUNCATE ON audit_chain_head FROM {role};
            REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON schema_migrations FROM {role};
            """, transaction: transaction);
    }

    public void Dispose() => _dataSource.Dispose();
}
