using Dapper;
using Microsoft.Data.Sqlite;
using Portal.Audit;
using Portal.Uploads;
using Portal.Data;

namespace Portal.Tests.Data;

/// <summary>
/// The append-only triggers cover every column of the two written-once tables, not just some: each column is updated
/// on its own, through Microsoft.Data.Sqlite on the real file, and refused. The columns are read from the schema the
/// migrations build, so a column added later is covered without touching this test.
/// </summary>
public sealed class AppendOnlyTests : IAsyncLifetime
{
    private static readonly string[] AppendOnlyTables = ["uploads", "audit_events"];

    private TestStorage _storage = default!;

    public async Task InitializeAsync()
    {
        _storage = await TestStorage.CreateAsync();
        var upload = await _storage.RecordAsync(TestStorage.Upload(accepted: false) with { UserEmail = null, ClientIp = null, UserAgent = null });
        await _storage.Trail.AppendAsync(new AuditActor("dev-mia", "Mia Marketing"), new ProblemReportDownloaded(), upload.Id);
    }

    public Task DisposeAsync()
    {
        _storage.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>Every (table, column) of the append-only tables, from <c>PRAGMA table_info</c> of a database built by the migrations.</summary>
    public static TheoryData<string, string> Columns()
    {
        using var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        foreach (var migration in DatabaseMigrator.EmbeddedMigrations())
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

    [Theory]
    [MemberData(nameof(Columns))]
    public async Task Updating_any_single_column_is_refused(string table, string column)
    {
        await using var connection = await _storage.Connections.OpenAsync();
        var before = await SnapshotAsync(connection, table);
        Assert.NotEmpty(before);
        var type = await connection.ExecuteScalarAsync<string>("SELECT type FROM pragma_table_info(@Table) WHERE name = @Column", new { Table = table, Column = column });
        // A real change of every row (NULLs included), of the column's own type, so no constraint objects before the trigger does.
        var changed = type == "INTEGER" ? $"COALESCE({column}, 0) + 1" : $"COALESCE({column}, '') || '-changed'";

        var refused = await Assert.ThrowsAsync<SqliteException>(() => connection.ExecuteAsync($"UPDATE {table} SET {column} = {changed}"));

        Assert.Equal($"{table} is append-only", TriggerMessage(refused));
        Assert.Equal(before, await SnapshotAsync(connection, table));
    }

    [Theory]
    [MemberData(nameof(Tables))]
    public async Task Deleting_is_refused(string table)
    {
        await using var connection = await _storage.Connections.OpenAsync();
        var before = await SnapshotAsync(connection, table);
        Assert.NotEmpty(before);

        var refused = await Assert.ThrowsAsync<SqliteException>(() => connection.ExecuteAsync($"DELETE FROM {table}"));

        Assert.Equal($"{table} is append-only", TriggerMessage(refused));
        Assert.Equal(before, await SnapshotAsync(connection, table));
    }

    [Fact]
    public async Task The_columns_are_those_of_the_real_file()
    {
        await using var connection = await _storage.Connections.OpenAsync();
        var real = new List<string>();
        foreach (var table in AppendOnlyTables)
        {
            real.AddRange((await connection.QueryAsync<string>("SELECT name FROM pragma_table_info(@Table) ORDER BY cid", new { Table = table }))
                .Select(column => $"{table}.{column}"));
        }

        Assert.Equal(real, Columns().Select(row => $"{row[0]}.{row[1]}"));
        Assert.Contains("uploads.file_name", real);
        Assert.Contains("audit_events.chain", real);
    }

    /// <summary>SQLite's text after "SQLite Error 19: '…'".</summary>
    private static string TriggerMessage(SqliteException exception)
    {
        Assert.Equal(19, exception.SqliteErrorCode);
        var start = exception.Message.IndexOf('\'', StringComparison.Ordinal) + 1;
        return exception.Message[start..exception.Message.LastIndexOf('\'')];
    }

    /// <summary>Every row of the table, every column as text, in rowid order.</summary>
    private static async Task<List<string>> SnapshotAsync(SqliteConnection connection, string table)
    {
        var rows = await connection.QueryAsync($"SELECT * FROM {table} ORDER BY rowid");
        return rows.Cast<IDictionary<string, object?>>()
            .Select(row => string.Join("|", row.Select(field => $"{field.Key}={field.Value}")))
            .ToList();
    }
}
