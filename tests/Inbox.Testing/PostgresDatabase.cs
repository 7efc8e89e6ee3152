using Npgsql;

namespace Inbox.Testing;

/// <summary>A database that belongs to one test; dropped on dispose.</summary>
public sealed class PostgresDatabase : IAsyncDisposable
{
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

        // A server restart (the chaos run does one) leaves broken connections in the admin pool: retry on a fresh one.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await DropAsync();
                return;
            }
            catch (NpgsqlException) when (attempt < 3)
            {
                using var admin = new NpgsqlConnection(_adminConnectionString);
                NpgsqlConnection.ClearPool(admin);
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
