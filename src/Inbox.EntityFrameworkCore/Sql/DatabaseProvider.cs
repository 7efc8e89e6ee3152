using Microsoft.EntityFrameworkCore;

namespace Inbox.EntityFrameworkCore.Sql;

/// <summary>The relational providers Inbox has claim statements for.</summary>
internal enum DatabaseProvider
{
    PostgreSql,
    SqlServer,
    Sqlite,
}

internal static class DatabaseProviders
{
    public static DatabaseProvider Detect(DbContext db) => Dialect(db).Provider;

    /// <summary>The dialect of <paramref name="db"/>'s provider.</summary>
    public static ISqlDialect Dialect(DbContext db) => db.Database.ProviderName switch
    {
        "Npgsql.EntityFrameworkCore.PostgreSQL" => PostgreSqlDialect.Instance,
        "Microsoft.EntityFrameworkCore.SqlServer" => SqlServerDialect.Instance,
        "Microsoft.EntityFrameworkCore.Sqlite" => SqliteDialect.Instance,
        var other => throw new NotSupportedException(
            $"Inbox supports the PostgreSQL (Npgsql), SQL Server and SQLite EF Core providers; '{db.GetType().Name}' uses '{other}'."),
    };
}
