using System.Collections.Concurrent;
using System.Data.Common;
using System.Reflection;

namespace Inbox.EntityFrameworkCore.Sql;

/// <summary>
/// Recognises a unique-key violation from any of the supported providers without referencing their client
/// libraries: PostgreSQL SQLSTATE 23505, SQL Server errors 2627 and 2601, SQLite constraint error 19 (2067).
/// </summary>
internal static class UniqueViolations
{
    private static readonly ConcurrentDictionary<Type, PropertyInfo?> NumberProperties = new();

    public static bool IsUniqueViolation(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is DbException db && IsUniqueViolation(db))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsUniqueViolation(DbException exception)
    {
        if (exception.SqlState == "23505")
        {
            return true;
        }

        var typeName = exception.GetType().FullName;
        if (typeName == "Microsoft.Data.SqlClient.SqlException")
        {
            // SqlException.Number is not on DbException; read it without a SqlClient reference.
            var number = NumberProperties.GetOrAdd(exception.GetType(), static t => t.GetProperty("Number"))?.GetValue(exception);
            return number is 2627 or 2601;
        }

        if (typeName == "Microsoft.Data.Sqlite.SqliteException")
        {
            var extended = NumberProperties.GetOrAdd(exception.GetType(), static t => t.GetProperty("SqliteExtendedErrorCode"))?.GetValue(exception);
            return extended is 2067 or 1555;
        }

        return false;
    }
}
