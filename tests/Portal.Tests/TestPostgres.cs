using System.Reflection;
using Npgsql;
using Portal.Data;
using Xunit.Sdk;

namespace Portal.Tests;

/// <summary>
/// The PostgreSQL server the PostgreSQL variants of the tests run against, named by <c>PORTAL_TEST_POSTGRES</c> (a
/// superuser's connection string; <c>scripts/postgres.sh start</c> makes a throw-away server and prints one, and
/// <c>.ci/run</c> sets it). Each test gets a database of its own, owned by the role <c>portal_owner</c> that migrates it,
/// and used through the least-privileged role <c>portal_app</c>, as a deployment would.
/// </summary>
public static class TestPostgres
{
    public const string Variable = "PORTAL_TEST_POSTGRES";

    public const string OwnerRole = "portal_owner";

    public const string AppRole = "portal_app";

    public static string? AdminConnectionString { get; } = Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value ? value : null;

    private static readonly string Missing =
        $"{Variable} is not set. Start a throw-away server with `scripts/postgres.sh start /tmp/portal-pg` and set {Variable} to the connection string it prints (.ci/run does).";

    /// <summary>
    /// Why the PostgreSQL variants do not run here; null when they do. In CI (<c>CI=true</c>) they always run, and fail
    /// with <see cref="Missing"/> when there is no server, so a CI that lost its PostgreSQL never reports them as passed.
    /// </summary>
    public static string? SkipReason => AdminConnectionString is null && !InContinuousIntegration
        ? "PostgreSQL variant not run: " + Missing
        : null;

    private static bool InContinuousIntegration =>
        string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    private static readonly Lazy<Task> Roles = new(CreateRolesAsync);

    /// <summary>A new, empty database: its owner's and the portal role's connection strings, and its name (to drop it).</summary>
    public static async Task<(string App, string Owner, string Name)> CreateDatabaseAsync()
    {
        var admin = AdminConnectionString ?? throw new InvalidOperationException("CI=true and the PostgreSQL variants cannot run: " + Missing);
        await Roles.Value;
        var name = $"portal_test_{Guid.NewGuid():N}";
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name} OWNER {OwnerRole} TEMPLATE template0", connection);
            await create.ExecuteNonQueryAsync();
        }

        return (As(AppRole, name), As(OwnerRole, name), name);
    }

    public static void DropDatabase(string name)
    {
        using var connection = new NpgsqlConnection(AdminConnectionString);
        connection.Open();
        using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", connection);
        drop.ExecuteNonQuery();
    }

    /// <summary>The admin's connection string for another role and database (same host, port and password).</summary>
    private static string As(string role, string database) => new NpgsqlConnectionStringBuilder(AdminConnectionString)
    {
        Username = role,
        Database = database,
        // Many small databases, one after another: do not keep idle connections to each.
        MaxPoolSize = 20,
        ConnectionIdleLifetime = 10,
        ConnectionPruningInterval = 5,
    }.ConnectionString;

    private static async Task CreateRolesAsync()
    {
        var password = new NpgsqlConnectionStringBuilder(AdminConnectionString).Password;
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        foreach (var role in new[] { OwnerRole, AppRole })
        {
            await using var exists = new NpgsqlCommand("SELECT COUNT(*) FROM pg_roles WHERE rolname = @Role", connection);
            exists.Parameters.AddWithValue("Role", role);
            if ((long)(await exists.ExecuteScalarAsync())! == 0)
            {
                var withPassword = password is null ? "" : $" PASSWORD '{password.Replace("'", "''", StringComparison.Ordinal)}'";
                await using var create = new NpgsqlCommand($"CREATE ROLE {role} LOGIN{withPassword}", connection);
                try
                {
                    await create.ExecuteNonQueryAsync();
                }
                catch (PostgresException exception) when (exception.SqlState == PostgresErrorCodes.DuplicateObject)
                {
                    // Another test run made it first.
                }
            }
        }
    }
}

/// <summary>
/// Runs a theory once on the given store: <c>[Theory, Store(Sqlite), Store(PostgreSql)]</c>, the store being the first
/// argument, followed by the rows of <see cref="Member"/> if one is named. The PostgreSQL rows are reported as skipped,
/// with the reason, when no PostgreSQL server is configured (<see cref="TestPostgres"/>).
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
public sealed class StoreAttribute : DataAttribute
{
    public StoreAttribute(StorageProvider provider, string? member = null)
    {
        Provider = provider;
        Member = member;
        if (provider == StorageProvider.PostgreSql)
        {
            Skip = TestPostgres.SkipReason;
        }
    }

    public StorageProvider Provider { get; }

    /// <summary>A static property or method of the test class giving the other arguments, row by row.</summary>
    public string? Member { get; }

    public override IEnumerable<object[]> GetData(MethodInfo testMethod)
    {
        ArgumentNullException.ThrowIfNull(testMethod);
        if (Member is null)
        {
            return [[Provider]];
        }

        var type = testMethod.DeclaringType!;
        var source = (IEnumerable<object[]>?)(type.GetProperty(Member, BindingFlags.Public | BindingFlags.Static)?.GetValue(null)
            ?? type.GetMethod(Member, BindingFlags.Public | BindingFlags.Static)?.Invoke(null, null))
            ?? throw new InvalidOperationException($"{type.Name}.{Member} is not a public static property or method.");
        return source.Select(row => (object[])[Provider, .. row]).ToList();
    }
}

/// <summary>A fact that needs PostgreSQL: skipped, with the reason, when no server is configured.</summary>
public sealed class PostgreSqlFactAttribute : FactAttribute
{
    public PostgreSqlFactAttribute() => Skip = TestPostgres.SkipReason;
}
