using Microsoft.EntityFrameworkCore;

namespace Inbox.Testing;

/// <summary>The database providers the integration tests run against.</summary>
public enum DatabaseKind
{
    /// <summary>A PostgreSQL database of its own.</summary>
    PostgreSql,

    /// <summary>A temporary SQLite file (the embedded mode).</summary>
    Sqlite,

    /// <summary>A SQL Server database of its own, where a SQL Server exists.</summary>
    SqlServer,
}

/// <summary>One test's database, whatever the provider; removed on dispose.</summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private readonly IAsyncDisposable _owner;

    private TestDatabase(DatabaseKind kind, string connectionString, IAsyncDisposable owner)
    {
        Kind = kind;
        ConnectionString = connectionString;
        _owner = owner;
    }

    /// <summary>The provider.</summary>
    public DatabaseKind Kind { get; }

    /// <summary>The connection string.</summary>
    public string ConnectionString { get; }

    /// <summary>Creates an empty database of <paramref name="kind"/>.</summary>
    public static async Task<TestDatabase> CreateAsync(DatabaseKind kind) => kind switch
    {
        DatabaseKind.PostgreSql => await FromPostgresAsync(),
        DatabaseKind.Sqlite => FromSqlite(),
        DatabaseKind.SqlServer => await FromSqlServerAsync(),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>An empty database on the current primary of eng/cluster.sh's PostgreSQL pair, through its multi-host string.</summary>
    public static async Task<TestDatabase> CreateOnPostgresClusterAsync()
    {
        var database = await PostgresCluster.CreateDatabaseAsync();
        return new TestDatabase(DatabaseKind.PostgreSql, database.ConnectionString, database);
    }

    /// <summary>Points <paramref name="builder"/> at this database.</summary>
    public DbContextOptionsBuilder Configure(DbContextOptionsBuilder builder) => Kind switch
    {
        DatabaseKind.PostgreSql => builder.UseNpgsql(ConnectionString),
        DatabaseKind.Sqlite => builder.UseSqlite(ConnectionString),
        DatabaseKind.SqlServer => builder.UseSqlServer(ConnectionString),
        _ => throw new InvalidOperationException(),
    };

    /// <summary>Creates the schema of <typeparamref name="TContext"/>; SQLite gets WAL so readers never wait on writers.</summary>
    public async Task CreateSchemaAsync<TContext>(Func<DbContextOptions<TContext>, TContext> create)
        where TContext : DbContext
    {
        var options = (DbContextOptions<TContext>)Configure(new DbContextOptionsBuilder<TContext>()).Options;
        await using var db = create(options);
        await db.Database.EnsureCreatedAsync();
        if (Kind == DatabaseKind.Sqlite)
        {
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
        }
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _owner.DisposeAsync();

    private static async Task<TestDatabase> FromPostgresAsync()
    {
        var database = await PostgresServer.CreateDatabaseAsync();
        return new TestDatabase(DatabaseKind.PostgreSql, database.ConnectionString, database);
    }

    private static TestDatabase FromSqlite()
    {
        var database = SqliteDatabase.Create();
        return new TestDatabase(DatabaseKind.Sqlite, database.ConnectionString, new SyncOwner(database));
    }

    private static async Task<TestDatabase> FromSqlServerAsync()
    {
        var database = await SqlServerServer.CreateDatabaseAsync();
        return new TestDatabase(DatabaseKind.SqlServer, database.ConnectionString, database);
    }

    private sealed class SyncOwner(IDisposable inner) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            inner.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
