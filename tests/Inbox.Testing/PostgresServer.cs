using Npgsql;
using Testcontainers.PostgreSql;

namespace Inbox.Testing;

/// <summary>
/// The PostgreSQL server of this test run: <see cref="TestEnvironment.PostgresVariable"/> if set,
/// otherwise one Testcontainers container shared by the run. Every test gets its own database.
/// </summary>
public static class PostgresServer
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static string? _adminConnectionString;
    private static PostgreSqlContainer? _container;

    /// <summary>Creates an empty database for one test; disposing it drops the database.</summary>
    public static async Task<PostgresDatabase> CreateDatabaseAsync(CancellationToken cancellationToken = default)
    {
        var admin = await GetAdminConnectionStringAsync(cancellationToken);
        var name = "inbox_test_" + Guid.NewGuid().ToString("N")[..16];
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        var builder = new NpgsqlConnectionStringBuilder(admin) { Database = name };
        return new PostgresDatabase(name, builder.ConnectionString, admin);
    }

    /// <summary>The connection string of the role that creates the test databases.</summary>
    public static async Task<string> GetAdminConnectionStringAsync(CancellationToken cancellationToken = default)
    {
        if (_adminConnectionString is not null)
        {
            return _adminConnectionString;
        }

        await Gate.WaitAsync(cancellationToken);
        try
        {
            if (_adminConnectionString is not null)
            {
                return _adminConnectionString;
            }

            var fromEnvironment = TestEnvironment.Get(TestEnvironment.PostgresVariable);
            if (fromEnvironment is not null)
            {
                _adminConnectionString = fromEnvironment;
            }
            else if (TestEnvironment.IsDockerAvailable)
            {
                _container = new PostgreSqlBuilder("postgres:15-alpine").Build();
                await _container.StartAsync(cancellationToken);
                _adminConnectionString = _container.GetConnectionString();
            }
            else
            {
                throw TestEnvironment.Missing(
                    "PostgreSQL",
                    TestEnvironment.PostgresVariable,
                    "Host=127.0.0.1;Username=inbox;Password=inbox;Database=postgres");
            }

            return _adminConnectionString;
        }
        finally
        {
            Gate.Release();
        }
    }
}
