using System.Data.Common;
using System.Globalization;
using System.Reflection;
using Dapper;

namespace Portal.Data;

/// <summary>
/// A step of a migration that SQL alone cannot do (rebuilding a read model from the events, say), named by a
/// <c>-- then: name</c> line at the end of the migration script and run in the same transaction.
/// </summary>
public interface IMigrationStep
{
    string Name { get; }

    Task RunAsync(DbConnection connection, DbTransaction transaction);
}

/// <summary>
/// Applies the numbered <c>Migrations/NNNN_name.sql</c> scripts of the database's provider (SQLite's in
/// <c>Migrations/</c>, PostgreSQL's in <c>Migrations/PostgreSql/</c>, the same numbers and names), in order, each once,
/// each in its own transaction with the steps it names, recording them in <c>schema_migrations</c>. Each transaction
/// holds the migration lock and reads the history again, so replicas starting together apply each script once.
/// </summary>
public sealed partial class DatabaseMigrator(PortalDatabase database, IEnumerable<IMigrationStep> steps, ILogger<DatabaseMigrator> logger)
{
    private const string StepDirective = "-- then: ";

    private const string CreateHistoryTable = """
        CREATE TABLE IF NOT EXISTS schema_migrations (
            version    INTEGER PRIMARY KEY,
            name       TEXT NOT NULL,
            applied_at TEXT NOT NULL
        );
        """;

    private const string SelectAppliedVersions = "SELECT version FROM schema_migrations";

    private const string InsertApplied = "INSERT INTO schema_migrations (version, name, applied_at) VALUES (@Version, @Name, @AppliedAt)";

    public async Task MigrateAsync(CancellationToken cancellationToken = default)
    {
        var migrations = EmbeddedMigrations(database.Provider);
        await using var connection = await database.OpenForMigrationsAsync(cancellationToken);
        await database.PrepareForMigrationsAsync(connection);
        while (true)
        {
            await using var transaction = await database.BeginMigrationAsync(connection, cancellationToken);
            await connection.ExecuteAsync(CreateHistoryTable, transaction: transaction);
            var applied = (await connection.QueryAsync<long>(SelectAppliedVersions, transaction: transaction)).ToHashSet();
            var migration = migrations.FirstOrDefault(m => !applied.Contains(m.Version));
            if (migration is null)
            {
                await database.AfterMigrationsAsync(connection, transaction);
                await transaction.CommitAsync(cancellationToken);
                return;
            }

            await connection.ExecuteAsync(migration.Sql, transaction: transaction);
            foreach (var name in StepsOf(migration))
            {
                var step = steps.FirstOrDefault(candidate => candidate.Name == name)
                    ?? throw new InvalidOperationException($"Migration {migration.Name} names the step '{name}', which is not registered.");
                await step.RunAsync(connection, transaction);
            }

            await connection.ExecuteAsync(InsertApplied, new
            {
                migration.Version,
                migration.Name,
                AppliedAt = DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture),
            }, transaction);
            await transaction.CommitAsync(cancellationToken);
            LogApplied(logger, migration.Version, migration.Name);
        }
    }

    private static IEnumerable<string> StepsOf(Migration migration) => migration.Sql.Split('\n')
        .Where(line => line.StartsWith(StepDirective, StringComparison.Ordinal))
        .Select(line => line[StepDirective.Length..].Trim());

    internal static IReadOnlyList<Migration> EmbeddedMigrations(StorageProvider provider)
    {
        var assembly = typeof(DatabaseMigrator).Assembly;
        var prefix = $"Migrations/{provider}/";
        return assembly.GetManifestResourceNames()
            .Where(name => name.StartsWith(prefix, StringComparison.Ordinal) && name.EndsWith(".sql", StringComparison.Ordinal))
            .Select(name => ReadMigration(assembly, name, name[prefix.Length..^4]))
            .OrderBy(m => m.Version)
            .ToList();
    }

    private static Migration ReadMigration(Assembly assembly, string resourceName, string name)
    {
        var separator = name.IndexOf('_', StringComparison.Ordinal);
        if (separator <= 0 || !long.TryParse(name[..separator], NumberStyles.None, CultureInfo.InvariantCulture, out var version))
        {
            throw new InvalidOperationException($"Migration '{name}.sql' must be named NNNN_description.sql.");
        }

        using var stream = assembly.GetManifestResourceStream(resourceName)!;
        using var reader = new StreamReader(stream);
        return new Migration(version, name, reader.ReadToEnd());
    }

    internal sealed record Migration(long Version, string Name, string Sql);

    [LoggerMessage(Level = LogLevel.Information, Message = "Applied database migration {Version} ({Name})")]
    private static partial void LogApplied(ILogger logger, long version, string name);
}
