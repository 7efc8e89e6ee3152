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
    public static DatabaseProvider Detect(DbContext db) => db.Database.ProviderName switch
    {
        "Npgsql.EntityFrameworkCore.PostgreSQL" => DatabaseProvider.PostgreSql,
        "Microsoft.EntityFrameworkCore.SqlServer" => DatabaseProvider.SqlServer,
        "Microsoft.EntityFrameworkCore.Sqlite" => DatabaseProvider.Sqlite,
        var other => throw new NotSupportedException(
            $"Inbox supports the PostgreSQL (Npgsql), SQL Server and SQLite EF Core providers; '{db.GetType().Name}' uses '{other}'."),
    };
}
