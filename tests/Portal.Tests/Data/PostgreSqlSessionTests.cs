using Dapper;
using Portal.Data;
using static Portal.Data.StorageProvider;

namespace Portal.Tests.Data;

/// <summary>The portal's PostgreSQL sessions run its page-sized queries without parallel workers, unless the operator says otherwise.</summary>
public sealed class PostgreSqlSessionTests
{
    [Theory, Store(PostgreSql)]
    public async Task The_portals_sessions_start_no_parallel_workers(StorageProvider provider)
    {
        using var storage = await TestStorage.CreateAsync(provider);
        await using var connection = await storage.Connections.OpenAsync();

        Assert.Equal("0", await connection.ExecuteScalarAsync<string>("SHOW max_parallel_workers_per_gather"));
    }

    [Fact]
    public void Options_the_operator_gives_in_the_connection_string_come_after_and_so_win()
    {
        var connectionString = PostgreSqlDatabase.WithoutParallelQueries("Host=db;Username=portal;Options=-c max_parallel_workers_per_gather=2");

        Assert.Equal(
            "-c max_parallel_workers_per_gather=0 -c max_parallel_workers_per_gather=2",
            new Npgsql.NpgsqlConnectionStringBuilder(connectionString).Options);
    }
}
