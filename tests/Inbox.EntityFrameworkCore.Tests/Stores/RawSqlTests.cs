using Inbox.EntityFrameworkCore.Sql;
using Inbox.EntityFrameworkCore.Tests.Support;
using Inbox.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Inbox.EntityFrameworkCore.Tests.Stores;

/// <summary>Inbox's own statements: prepared on PostgreSQL, except where Npgsql refuses explicit preparation.</summary>
public sealed class RawSqlTests
{
    [Fact]
    public void Statements_are_prepared_on_postgresql_unless_it_multiplexes()
    {
        Assert.True(RawSql.CanPrepare(new NpgsqlConnection("Host=unused")));
        Assert.False(RawSql.CanPrepare(new NpgsqlConnection("Host=unused;Multiplexing=true")));
        Assert.True(RawSql.CanPrepare(new NpgsqlConnection("Host=unused;Multiplexing=false")));
        Assert.False(RawSql.CanPrepare(new SqliteConnection("Data Source=:memory:")));
    }

    [Fact]
    public void Statement_binds_each_parameter_it_names_once_and_refuses_a_name_its_record_lacks()
    {
        var parameters = new StatementParameters<(string A, int B)> { ["a"] = v => v.A, ["b"] = v => v.B, ["unused"] = _ => null };
        var statement = new Statement<(string A, int B)>("UPDATE t SET x = @b WHERE id = @a AND y = @b;\nIF @@ROWCOUNT = 0 SELECT 1", parameters, columns: null);
        using var command = new SqliteConnection("Data Source=:memory:").CreateCommand();

        statement.Bind(command, ("id-1", 7));

        Assert.Equal(["b", "a"], command.Parameters.Cast<SqliteParameter>().Select(p => p.ParameterName));
        Assert.Equal([7, (object)"id-1"], command.Parameters.Cast<SqliteParameter>().Select(p => p.Value));
        Assert.Throws<InvalidOperationException>(() => new Statement<(string A, int B)>("SELECT @missing", parameters, columns: null));
    }

    [Fact]
    public async Task Reader_whose_statement_fails_disposes_its_command()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseKind.Sqlite);
        await using var connection = new CommandTrackingConnection(database.ConnectionString);
        await using var db = new StoreDbContext(new DbContextOptionsBuilder<StoreDbContext>().UseSqlite(connection).Options);

        // Held open, as inside a transaction: closing a SQLite connection would dispose its commands anyway.
        await db.Database.OpenConnectionAsync();
        await Assert.ThrowsAsync<SqliteException>(() => RawSql.ReadAsync(db, new Statement<int>("SELECT missing_column FROM missing_table", [], columns: null), 0, default));

        Assert.Equal(1, connection.Created);
        Assert.Equal(1, connection.CommandsDisposed);
    }

    /// <summary>A real SQLite connection that counts the commands it creates and how many of them were disposed.</summary>
    private sealed class CommandTrackingConnection(string connectionString) : SqliteConnection(connectionString)
    {
        private readonly CommandCounts _counts = new();

        public int Created => Volatile.Read(ref _counts.Created);

        public int CommandsDisposed => Volatile.Read(ref _counts.Disposed);

        protected override System.Data.Common.DbCommand CreateDbCommand()
        {
            Interlocked.Increment(ref _counts.Created);
            return new TrackedCommand(this, _counts) { Transaction = Transaction };
        }

        private sealed class CommandCounts
        {
            public int Created;
            public int Disposed;
        }

        private sealed class TrackedCommand(SqliteConnection connection, CommandCounts counts) : SqliteCommand(null, connection)
        {
            protected override void Dispose(bool disposing)
            {
                Interlocked.Increment(ref counts.Disposed);
                base.Dispose(disposing);
            }
        }
    }
}
