using System.Data.Common;
using Dapper;
using Microsoft.Data.Sqlite;
using Npgsql;
using Portal.Audit;
using Portal.Uploads;
using Portal.Data;
using static Portal.Data.StorageProvider;

namespace Portal.Tests.Data;

/// <summary>
/// The append-only triggers cover every column of the two written-once tables, not just some: each column is updated
/// on its own, on the real database, and refused, on SQLite and on PostgreSQL (as the schema's owner there, whose grants
/// would allow it: the trigger is what refuses). The columns are read from the schema the SQLite migrations build, so a
/// column added later is covered without touching this test, and PostgreSQL's tables must have the same columns.
/// </summary>
public sealed class AppendOnlyTests
{
    private static readonly string[] AppendOnlyTables = ["uploads", "audit_events"];

    private static async Task<TestStorage> StorageWithRowsAsync(StorageProvider provider)
    {
        var storage = await TestStorage.CreateAsync(provider);
        var upload = await storage.RecordAsync(TestStorage.Upload(accepted: false) with { UserEmail = null, ClientIp = null, UserAgent = null });
        await storage.Trail.AppendAsync(new AuditActor("dev-mia", "Mia Marketing"), new ProblemReportDownloaded(), upload.Id);
        return storage;
    }

    /// <summary>Every (table, column) of the append-only tables, from <c>PRAGMA table_info</c> of a database built by the migrations.</summary>
    public static TheoryData<string, string> Columns()
    {
        using var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        foreach (var migration in DatabaseMigrator.EmbeddedMigrations(Sqlite))
        {
            connection.Execute(migration.Sql);
        }

        var columns = new TheoryData<string, string>();
        foreach (var table in AppendOnlyTables)
        {
            foreach (var column in connection.Query<string>("SELECT name FROM pragma_table_info(@Table) ORDER BY cid", new { Table = table }))
            {
                columns.Add(table, column);
            }
        }

        return columns;
    }

    public static TheoryData<string> Tables => new(AppendOnlyTables);

    [Theory, Store(Sqlite, nameof(Columns)), Store(PostgreSql, nameof(Columns))]
    public async Task Updating_any_single_column_is_refused(StorageProvider provider, string table, string column)
    {
        using var storage = await StorageWithRowsAsync(provider);
        await using var connection = await storage.OpenAsOwnerAsync();
        var before = await SnapshotAsync(connection, table);
        Assert.NotEmpty(before);
        var type = await connection.ExecuteScalarAsync<string>(storage.Connections.Sql(
            "SELECT type FROM pragma_table_info(@Table) WHERE name = @Column",
            "SELECT data_type FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = @Table AND column_name = @Column"),
            new { Table = table, Column = column });
        // A real change of every row (NULLs included), of the column's own type, so no constraint objects before the trigger does.
        var changed = type switch
        {
            "INTEGER" or "bigint" or "integer" => $"COALESCE({column}, 0) + 1",
            "boolean" => $"NOT COALESCE({column}, false)",
            _ => $"COALESCE({column}, '') || '-changed'",
        };

        var refused = await Assert.ThrowsAnyAsync<DbException>(() => connection.ExecuteAsync($"UPDATE {table} SET {column} = {changed}"));

        Assert.Equal($"{table} is append-only", TriggerMessage(refused));
        Assert.Equal(before, await SnapshotAsync(connection, table));
    }

    [Theory, Store(Sqlite, nameof(Tables)), Store(PostgreSql, nameof(Tables))]
    public async Task Deleting_is_refused(StorageProvider provider, string table)
    {
        using var storage = await StorageWithRowsAsync(provider);
        await using var connection = await storage.OpenAsOwnerAsync();
        var before = await SnapshotAsync(connection, table);
        Assert.NotEmpty(before);

        var refused = await Assert.ThrowsAnyAsync<DbException>(() => connection.ExecuteAsync($"DELETE FROM {table}"));

        Assert.Equal($"{table} is append-only", TriggerMessage(refused));
        Assert.Equal(before, await SnapshotAsync(connection, table));
    }

    [Theory, Store(Sqlite), Store(PostgreSql)]
    public async Task The_columns_are_those_of_the_real_database(StorageProvider provider)
    {
        using var storage = await StorageWithRowsAsync(provider);
        var real = new List<string>();
        foreach (var table in AppendOnlyTables)
        {
            real.AddRange((await storage.ColumnsOfAsync(table)).Select(column => $"{table}.{column}"));
        }

        Assert.Equal(real, Columns().Select(row => $"{row[0]}.{row[1]}"));
        Assert.Contains("uploads.file_name", real);
        Assert.Contains("audit_events.chain", real);
    }

    /// <summary>TRUNCATE fires no row trigger: PostgreSQL's statement triggers refuse it too, even for the owner.</summary>
    [PostgreSqlFact]
    public async Task Truncating_the_trail_or_moving_the_chain_head_back_is_refused_on_PostgreSql()
    {
        using var storage = await StorageWithRowsAsync(PostgreSql);
        await using var owner = await storage.OpenAsOwnerAsync();

        var truncate = await Assert.ThrowsAsync<PostgresException>(() => owner.ExecuteAsync("TRUNCATE audit_events, uploads CASCADE"));
        var back = await Assert.ThrowsAsync<PostgresException>(() => owner.ExecuteAsync("UPDATE audit_chain_head SET seq = seq - 1"));
        var removed = await Assert.ThrowsAsync<PostgresException>(() => owner.ExecuteAsync("DELETE FROM audit_chain_head"));

        Assert.Contains("is append-only", truncate.MessageText, StringComparison.Ordinal);
        Assert.Equal(["audit_chain_head only moves forward", "audit_chain_head only moves forward"], new[] { back.MessageText, removed.MessageText });
        Assert.Equal(3, await owner.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM audit_events"));
    }

    /// <summary>
    /// The role the portal works as has no grant to change or remove the trail, nor may it switch the triggers off: only
    /// the schema's owner could, and its password is only needed by the migration at start-up.
    /// </summary>
    [PostgreSqlFact]
    public async Task The_portals_role_on_PostgreSql_may_add_to_the_trail_but_not_change_it_or_switch_the_triggers_off()
    {
        using var storage = await StorageWithRowsAsync(PostgreSql);
        await using var portal = await storage.Connections.OpenAsync();

        foreach (var statement in new[]
        {
            "UPDATE uploads SET file_name = 'other.txt'", "DELETE FROM uploads", "TRUNCATE uploads CASCADE",
            "UPDATE audit_events SET kind = 'sent'", "DELETE FROM audit_events", "TRUNCATE audit_events",
            "DELETE FROM audit_chain_head", "UPDATE schema_migrations SET name = 'x'",
        })
        {
            var refused = await Assert.ThrowsAsync<PostgresException>(() => portal.ExecuteAsync(statement));
            Assert.True(refused.SqlState == PostgresErrorCodes.InsufficientPrivilege, $"{statement}: {refused.MessageText}");
        }

        var disable = await Assert.ThrowsAsync<PostgresException>(() => portal.ExecuteAsync("ALTER TABLE audit_events DISABLE TRIGGER USER"));
        Assert.Equal("must be owner of table audit_events", disable.MessageText);
        Assert.Equal(3, await portal.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM audit_events"));
        Assert.True((await storage.Integrity.VerifyAsync()).Intact);
    }

    /// <summary>The trigger's own text: after SQLite's "SQLite Error 19: '…'", or PostgreSQL's message.</summary>
    private static string TriggerMessage(DbException exception)
    {
        if (exception is PostgresException postgres)
        {
            Assert.Equal(PostgresErrorCodes.RestrictViolation, postgres.SqlState);
            return postgres.MessageText;
        }

        Assert.Equal(19, ((SqliteException)exception).SqliteErrorCode);
        var start = exception.Message.IndexOf('\'', StringComparison.Ordinal) + 1;
        return exception.Message[start..exception.Message.LastIndexOf('\'')];
    }

    /// <summary>Every row of the table, every column as text, in key order.</summary>
    private static async Task<List<string>> SnapshotAsync(DbConnection connection, string table)
    {
        var rows = await connection.QueryAsync($"SELECT * FROM {table} ORDER BY 1");
        return rows.Cast<IDictionary<string, object?>>()
            .Select(row => string.Join("|", row.Select(field => $"{field.Key}={field.Value}")))
            .ToList();
    }
}
