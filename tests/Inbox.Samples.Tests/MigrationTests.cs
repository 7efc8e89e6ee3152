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

    [Fact]
    public void Sql_server_migration_script_parses_as_t_sql()
    {
        using var db = new SqlServerDesignTimeFactory().CreateDbContext([]);
        var script = db.GetService<IMigrator>().GenerateScript();

        Assert.Contains("CREATE TABLE [inbox_operations]", script);
        Assert.Empty(TransactSql.ParseErrors(script));
    }
}
