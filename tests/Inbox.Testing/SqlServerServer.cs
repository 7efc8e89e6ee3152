using Microsoft.Data.SqlClient;
using Testcontainers.MsSql;

namespace Inbox.Testing;

/// <summary>
/// The SQL Server of this test run: <see cref="TestEnvironment.SqlServerVariable"/> if set, otherwise a
/// Testcontainers container where Docker answers. Where neither exists the SQL Server tests are skipped
/// (see <see cref="SqlServerFactAttribute"/>), never passed.
/// </summary>
public static class SqlServerServer
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static string? _adminConnectionString;
    private static MsSqlContainer? _container;

    /// <summary>Why SQL Server tests cannot run here, or <see langword="null"/> when they can.</summary>
    public static string? UnavailableReason =>
        TestEnvironment.Get(TestEnvironment.SqlServerVariable) is not null || TestEnvironment.IsDockerAvailable
            ? null
            : $"No SQL Server: set {TestEnvironment.SqlServerVariable} or run where a Docker engine answers.";

    /// <summary>Creates an empty database for one test; disposing it drops the database.</summary>
    public static async Task<SqlServerDatabase> CreateDatabaseAsync(CancellationToken cancellationToken = default)
    {
        var admin = await GetAdminConnectionStringAsync(cancellationToken);
        var name = "inbox_test_" + Guid.NewGuid().ToString("N")[..16];
        await using (var connection = new SqlConnection(admin))
        {
            await connection.OpenAsync(cancellationToken);
            await using var command = new SqlCommand($"CREATE DATABASE [{name}]", connection);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        var builder = new SqlConnectionStringBuilder(admin) { InitialCatalog = name, TrustServerCertificate = true };
        return new SqlServerDatabase(name, builder.ConnectionString, admin);
    }

    private static async Task<string> GetAdminConnectionStringAsync(CancellationToken cancellationToken)
    {
        if (_adminConnectionString is not null)
        {
            return _adminConnectionString;
        }

        await Gate.WaitAsync(cancellationToken);
        try
        {
            if (_adminConnectionString is null)
            {
                if (TestEnvironment.Get(TestEnvironment.SqlServerVariable) is { } fromEnvironment)
                {
                    _adminConnectionString = fromEnvironment;
                }
                else if (TestEnvironment.IsDockerAvailable)
                {
                    _container = new MsSqlBuilder("mcr.microsoft.com/mssql/server:2022-latest").Build();
                    await _container.StartAsync(cancellationToken);
                    _adminConnectionString = _container.GetConnectionString();
                }
                else
                {
                    throw new InvalidOperationException(UnavailableReason);
                }
            }

            return _adminConnectionString;
        }
        finally
        {
            Gate.Release();
        }
    }
}
