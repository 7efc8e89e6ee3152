using Inbox.EntityFrameworkCore.Sql;
using Inbox.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Inbox.EntityFrameworkCore.Tests.Sql;

/// <summary>
/// Errors raised by real servers: those of a database that cannot answer for now (a failover, a restart, a lost
/// connection, a conflict between transactions) are transient, so a 503 and a retry; those of a statement that is
/// wrong for the database (a missing table, bad data, a violated constraint) are not, as retrying repeats them.
/// </summary>
public sealed class DatabaseErrorsTests
{
    [Theory]
    [InlineData("08006")] // connection_failure
    [InlineData("57P01")] // admin_shutdown: the server is stopping (a fast shutdown before a promotion)
    [InlineData("57P02")] // crash_shutdown
    [InlineData("57P03")] // cannot_connect_now: starting up, or a standby still in recovery
    [InlineData("25006")] // read_only_sql_transaction: a standby answered the write
    [InlineData("40001")] // serialization_failure
    [InlineData("40P01")] // deadlock_detected
    [InlineData("53300")] // too_many_connections
    [InlineData("58030")] // io_error
    [InlineData("3D000")] // invalid_catalog_name: the database is gone, for example while it is restored
    public async Task PostgreSql_errors_of_a_database_that_cannot_answer_for_now_are_transient(string sqlState)
    {
        var error = await RaiseAsync(sqlState);

        Assert.Equal(sqlState, error.SqlState);
        Assert.True(DatabaseErrors.IsTransient(error));
        Assert.True(DatabaseErrors.IsUnavailable(error, CancellationToken.None));
    }

    [Theory]
    [InlineData("42P01")] // undefined_table: the schema was not migrated
    [InlineData("42703")] // undefined_column
    [InlineData("42601")] // syntax_error
    [InlineData("22012")] // division_by_zero
    [InlineData("22001")] // string_data_right_truncation
    [InlineData("23502")] // not_null_violation
    [InlineData("0A000")] // feature_not_supported
    [InlineData("P0001")] // raise_exception
    [InlineData("XX000")] // internal_error
    public async Task PostgreSql_errors_of_a_statement_that_is_wrong_are_not_transient(string sqlState)
    {
        var error = await RaiseAsync(sqlState);

        Assert.Equal(sqlState, error.SqlState);
        Assert.False(DatabaseErrors.IsTransient(error));
        Assert.False(DatabaseErrors.IsUnavailable(error, CancellationToken.None));
    }

    [Fact]
    public async Task A_terminated_session_and_a_refused_connection_are_transient_but_a_missing_table_is_not()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseKind.PostgreSql);

        await using (var session = new NpgsqlConnection(database.ConnectionString))
        {
            await session.OpenAsync();
            var terminated = await Assert.ThrowsAnyAsync<NpgsqlException>(() => ExecuteAsync(session, "SELECT pg_terminate_backend(pg_backend_pid())"));
            Assert.True(DatabaseErrors.IsTransient(terminated), $"{terminated.GetType().Name}: {terminated.Message}");
        }

        var refusedConnectionString = new NpgsqlConnectionStringBuilder(database.ConnectionString) { Port = AppProcess.FreePort(), Pooling = false }.ConnectionString;
        await using (var refused = new NpgsqlConnection(refusedConnectionString))
        {
            var error = await Assert.ThrowsAnyAsync<NpgsqlException>(() => refused.OpenAsync());
            Assert.Null(error.SqlState);
            Assert.True(DatabaseErrors.IsTransient(error));
        }

        await using (var session = new NpgsqlConnection(database.ConnectionString))
        {
            await session.OpenAsync();
            var missing = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(session, "SELECT * FROM no_such_table"));
            Assert.False(DatabaseErrors.IsTransient(missing));
        }
    }

    [Fact]
    public async Task EF_Core_wrapping_keeps_the_classification_of_the_provider_error()
    {
        // As SaveChanges and the execution strategies wrap what the server raised.
        var violation = new DbUpdateException("An error occurred while saving the entity changes.", await RaiseAsync("23502"));
        var failover = new DbUpdateException("An error occurred while saving the entity changes.", await RaiseAsync("57P01"));

        Assert.False(DatabaseErrors.IsTransient(violation));
        Assert.True(DatabaseErrors.IsTransient(failover));
        Assert.True(DatabaseErrors.IsTransient(new InvalidOperationException("An exception has been raised that is likely due to a transient failure.", failover)));
        Assert.False(DatabaseErrors.IsTransient(new InvalidOperationException("Not a database error.")));
    }

    [Fact]
    public async Task Sqlite_busy_is_transient_and_a_missing_table_or_a_constraint_is_not()
    {
        var file = Path.Combine(Path.GetTempPath(), $"inbox-errors-{Guid.NewGuid():N}.db");
        var connectionString = new SqliteConnectionStringBuilder { DataSource = file, Pooling = false, DefaultTimeout = 1 }.ConnectionString;
        try
        {
            await using var writer = new SqliteConnection(connectionString);
            await writer.OpenAsync();
            await ExecuteAsync(writer, "CREATE TABLE t (value TEXT NOT NULL)");
            await ExecuteAsync(writer, "BEGIN IMMEDIATE");
            await using var other = new SqliteConnection(connectionString);
            await other.OpenAsync();

            var busy = await Assert.ThrowsAsync<SqliteException>(() => ExecuteAsync(other, "BEGIN IMMEDIATE"));
            var missing = await Assert.ThrowsAsync<SqliteException>(() => ExecuteAsync(other, "SELECT * FROM no_such_table"));
            var constraint = await Assert.ThrowsAsync<SqliteException>(() => ExecuteAsync(writer, "INSERT INTO t (value) VALUES (NULL)"));

            Assert.True(DatabaseErrors.IsTransient(busy), busy.Message);
            Assert.False(DatabaseErrors.IsTransient(missing), missing.Message);
            Assert.False(DatabaseErrors.IsTransient(constraint), constraint.Message);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            File.Delete(file);
        }
    }

    /// <summary>Has the server raise <paramref name="sqlState"/> itself, as the error a real statement would get.</summary>
    private static async Task<PostgresException> RaiseAsync(string sqlState)
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseKind.PostgreSql);
        await using var session = new NpgsqlConnection(database.ConnectionString);
        await session.OpenAsync();
        return await Assert.ThrowsAsync<PostgresException>(
            () => ExecuteAsync(session, $"DO $$ BEGIN RAISE EXCEPTION 'raised for the test' USING ERRCODE = '{sqlState}'; END $$"));
    }

    private static async Task ExecuteAsync(System.Data.Common.DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }
}
