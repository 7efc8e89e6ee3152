using Inbox.Samples.Data;
using Inbox.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Inbox.Samples.Tests;

/// <summary>
/// The samples apply their migrations at start-up, and EF Core refuses to migrate a model that has changed since the
/// last migration: a change to the inbox's model must come with one (or provably need none).
/// </summary>
public sealed class MigrationTests
{
    [Fact]
    public void Postgresql_migrations_match_the_model()
    {
        using var db = new PostgresDesignTimeFactory().CreateDbContext([]);
        Assert.False(db.Database.HasPendingModelChanges());
    }

    [Fact]
    public void Sql_server_migrations_match_the_model()
    {
        using var db = new SqlServerDesignTimeFactory().CreateDbContext([]);
        Assert.False(db.Database.HasPendingModelChanges());
    }

    /// <summary>
    /// SQL Server refuses ALTER COLUMN on a primary key's column, and EF Core's migration leaves the key in place: the
    /// migration that gives the key columns their binary collation drops each primary key first and adds it back after.
    /// </summary>
    [Theory]
    [InlineData("inbox_operations", "id")]
    [InlineData("inbox_entries", "consumer")]
    [InlineData("inbox_entries", "message_key")]
    public void Sql_server_migration_rebuilds_a_primary_key_around_its_collation_change(string table, string column)
    {
        using var db = new SqlServerDesignTimeFactory().CreateDbContext([]);
        var script = db.GetService<IMigrator>().GenerateScript();

        var alter = script.IndexOf($"ALTER TABLE [{table}] ALTER COLUMN [{column}] ", StringComparison.Ordinal);
        Assert.True(alter >= 0, $"no collation change of {table}.{column}");
        var drop = script.LastIndexOf($"ALTER TABLE [{table}] DROP CONSTRAINT [PK_{table}];", alter, StringComparison.Ordinal);
        var add = script.IndexOf($"ALTER TABLE [{table}] ADD CONSTRAINT [PK_{table}] PRIMARY KEY", alter, StringComparison.Ordinal);
        Assert.True(drop >= 0 && add > alter, $"{table}.{column} changes collation without its primary key dropped before and added after");
    }

    [Fact]
    public void Sql_server_migration_script_parses_as_t_sql()
    {
        using var db = new SqlServerDesignTimeFactory().CreateDbContext([]);
        var script = db.GetService<IMigrator>().GenerateScript();

        Assert.Contains("CREATE TABLE [inbox_operations]", script);
        Assert.Empty(TransactSql.ParseErrors(script));
    }
}
