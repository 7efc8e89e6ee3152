using System.Collections.Concurrent;
using System.Data.Common;
using System.Net.Sockets;
using System.Reflection;
using Microsoft.EntityFrameworkCore.Storage;

namespace Inbox.EntityFrameworkCore.Sql;

/// <summary>
/// Recognises provider errors without referencing the providers' client libraries: unique-key violations
/// (PostgreSQL SQLSTATE 23505, SQL Server 2627 and 2601, SQLite 2067 and 1555) and waits that ran out of time
/// (PostgreSQL 55P03 and 57014, SQL Server 1222 and -2, SQLite busy or locked), and a database that cannot be
/// reached or does not answer.
/// </summary>
internal static class DatabaseErrors
{
    private const string SqlServerException = "Microsoft.Data.SqlClient.SqlException";
    private const string SqliteException = "Microsoft.Data.Sqlite.SqliteException";
    private static readonly ConcurrentDictionary<(Type, string), PropertyInfo?> Properties = new();

    public static bool IsUniqueViolation(Exception exception) => Any(exception, static db =>
        db.SqlState == "23505" ||
        (Is(db, SqlServerException) && Read(db, "Number") is 2627 or 2601) ||
        (Is(db, SqliteException) && Read(db, "SqliteExtendedErrorCode") is 2067 or 1555));

    public static bool IsWaitTimeout(Exception exception) => Any(exception, static db =>
        db.SqlState is "55P03" or "57014" ||
        (Is(db, SqlServerException) && Read(db, "Number") is 1222 or -2) ||
        (Is(db, SqliteException) && Read(db, "SqliteErrorCode") is 5 or 6));

    /// <summary>
    /// Whether <paramref name="exception"/> says the database is unavailable: a provider error, a timeout, or EF Core's
    /// wrapping of either (its execution strategies throw <see cref="InvalidOperationException"/> for a transient
    /// failure when they do not retry, <see cref="RetryLimitExceededException"/> when retries ran out). Never a
    /// cancellation: the caller gave up, the database did not fail.
    /// </summary>
    public static bool IsUnavailable(Exception exception, CancellationToken cancellationToken) =>
        !cancellationToken.IsCancellationRequested && exception switch
        {
            OperationCanceledException => false,
            DbException or TimeoutException => true,
            InvalidOperationException or RetryLimitExceededException => WrapsDatabaseFailure(exception.InnerException),
            _ => false,
        };

    private static bool WrapsDatabaseFailure(Exception? exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is DbException or TimeoutException or SocketException)
            {
                return true;
            }
        }

        return false;
    }

    private static bool Any(Exception exception, Func<DbException, bool> test)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is DbException db && test(db))
            {
                return true;
            }
        }

        return false;
    }

    private static bool Is(DbException exception, string typeName) => exception.GetType().FullName == typeName;

    // The error numbers are not on DbException; read them by name, once per type.
    private static object? Read(DbException exception, string property) =>
        Properties.GetOrAdd((exception.GetType(), property), static key => key.Item1.GetProperty(key.Item2))?.GetValue(exception);
}
