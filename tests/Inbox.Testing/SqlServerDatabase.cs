using Microsoft.Data.SqlClient;

namespace Inbox.Testing;

/// <summary>A SQL Server database that belongs to one test; dropped on dispose.</summary>
public sealed class SqlServerDatabase : IAsyncDisposable
{
    private readonly string _adminConnectionString;

    internal SqlServerDatabase(string name, string connectionString, string adminConnectionString)
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
        SqlConnection.ClearAllPools();
        await using var connection = new SqlConnection(_adminConnectionString);
        await connection.OpenAsync();
        await using var command = new SqlCommand(
            $"ALTER DATABASE [{Name}] SET SINGLE_USER WITH ROLLBACK IMMEDIATE; DROP DATABASE [{Name}]", connection);
        await command.ExecuteNonQueryAsync();
    }
}
