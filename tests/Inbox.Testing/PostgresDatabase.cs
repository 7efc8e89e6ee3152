using Npgsql;

namespace Inbox.Testing;

/// <summary>A database that belongs to one test; dropped on dispose.</summary>
public sealed class PostgresDatabase : IAsyncDisposable
{
    private static readonly TimeSpan DropRetryLimit = TimeSpan.FromSeconds(30);

    private readonly string _adminConnectionString;

    internal PostgresDatabase(string name, string connectionString, string adminConnectionString)
    {
        Name = name;
        ConnectionString = connectionString;
        _adminConnectionString = adminConnectionString;
    }

    /// <summary>The database name.</summary>
    public string Name { get; }

    /// <summary>A connection string to this database.</summary>
    public string ConnectionString { get; }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        using (var pooled = new NpgsqlConnection(ConnectionString))
        {
            NpgsqlConnection.ClearPool(pooled);
        }

        // A server restart (the chaos run does one) leaves broken connections in the admin pool, and after a failover
        // Npgsql's multi-host data source answers "No suitable host was found" until it rechecks the hosts' roles
        // (Host Recheck Seconds, 10 by default): retry on a fresh pool until the server answers again.
        var deadline = DateTime.UtcNow + DropRetryLimit;
        while (true)
        {
            try
            {
                await DropAsync();
                return;
            }
            catch (NpgsqlException) when (DateTime.UtcNow < deadline)
            {
                using (var admin = new NpgsqlConnection(_adminConnectionString))
                {
                    NpgsqlConnection.ClearPool(admin);
                }

                await Task.Delay(TimeSpan.FromMilliseconds(500));
            }
        }
    }

    private async Task DropAsync()
    {
        await using var connection = new NpgsqlConnection(_adminConnectionString);
        await connection.OpenAsync();
        try
        {
            await using var force = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)", connection);
            await force.ExecuteNonQueryAsync();
        }
        catch (PostgresException exception) when (exception.SqlState == PostgresErrorCodes.InsufficientPrivilege)
        {
            // FORCE may not terminate an autovacuum worker without pg_signal_backend; a plain drop stops it itself.
            await using var plain = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{Name}\"", connection);
            await plain.ExecuteNonQueryAsync();
        }
    }
}
