using Inbox.EntityFrameworkCore.Sql;
using Microsoft.Data.Sqlite;
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
    public void Placeholders_become_positional_parameters()
    {
        Assert.Equal("UPDATE t SET a = $2 WHERE id = $1 AND b = $11", RawSql.Positional("UPDATE t SET a = {1} WHERE id = {0} AND b = {10}"));
    }
}
