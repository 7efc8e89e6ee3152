using System.Collections.Concurrent;
using System.Data.Common;
using System.Net.Sockets;
using System.Reflection;
using Microsoft.EntityFrameworkCore.Storage;

namespace Inbox.EntityFrameworkCore.Sql;

/// <summary>
/// Recognises provider errors without referencing the providers' client libraries: unique-key violations
/// (PostgreSQL SQLSTATE 23505, SQL Server 2627 and 2601, SQLite 2067 and 1555) and waits that ran out of time
/// (PostgreSQL 55P03 and 57014, SQL Server 1222 and -2, SQLite busy or locked), and transient errors (a database
/// that cannot be reached or answer for now) apart from errors of the statement itself, which are defects.
/// </summary>
internal static class DatabaseErrors
{
    private const string SqlServerException = "Microsoft.Data.SqlClient.SqlException";
    private const string SqliteException = "Microsoft.Data.Sqlite.SqliteException";

    // Connection loss (-2 timeout, 2, 53, 64, 121, 233, 10053, 10054, 10060), deadlock and lock timeout (1205, 1222),
    // a database starting, failing over or read-only in an availability group (4060, 4221, 976, 978, 983, 3906, 35374),
    // and Azure SQL's throttling and reconfiguration numbers, as EF Core's SqlServerTransientExceptionDetector lists them.
    private static readonly HashSet<int> SqlServerTransientNumbers =
    [
        -2, 2, 20, 53, 64, 121, 233, 976, 978, 983, 1205, 1222, 3906, 4060, 4221, 10053, 10054, 10060, 10928, 10929,
        10936, 35374, 40143, 40197, 40501, 40540, 40613, 41301, 41302, 41305, 41325, 41839, 49918, 49919, 49920,
    ];

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
    /// Whether <paramref name="exception"/> says the database is unavailable, so a 503 and a retry: a transient
    /// error (see <see cref="IsTransient"/>), a timeout, or EF Core's wrapping of either (its execution strategies
    /// throw <see cref="InvalidOperationException"/> for a transient failure when they do not retry,
    /// <see cref="RetryLimitExceededException"/> when retries ran out). Never a cancellation: the caller gave up, the
    /// database did not fail. Never an error of the statement itself (a missing table, bad data): that is a defect,
    /// which retrying repeats.
    /// </summary>
    public static bool IsUnavailable(Exception exception, CancellationToken cancellationToken) =>
        !cancellationToken.IsCancellationRequested && exception is not OperationCanceledException && IsTransient(exception);

    /// <summary>
    /// Whether <paramref name="exception"/>, or an exception it wraps, is an error of a database that cannot answer
    /// for now, so the same work can succeed when retried: a lost or refused connection (a provider error with no
    /// server code), a timeout, a server shutting down or starting (a failover), a standby that answered a write,
    /// a conflict between transactions (serialization failure, deadlock), exhausted server resources, or a database
    /// that does not exist for now. The server's codes are PostgreSQL's SQLSTATE classes 08, 40, 53, 57 and 58 and
    /// codes 25006, 55P03, 55006 and 3D000; SQL Server's connection, failover and throttling numbers; SQLite busy,
    /// locked, I/O, full and cannot-open.
    /// </summary>
    public static bool IsTransient(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            switch (current)
            {
                case DbException db:
                    return IsTransientProviderError(db);
                case TimeoutException or SocketException or IOException:
                    return true;
                case AggregateException aggregate:
                    return aggregate.InnerExceptions.Count > 0 && aggregate.InnerExceptions.All(IsTransient);
            }
        }

        return false;
    }

    private static bool IsTransientProviderError(DbException exception)
    {
        if (Is(exception, SqlServerException))
        {
            return Read(exception, "Number") is int number && SqlServerTransientNumbers.Contains(number);
        }

        if (Is(exception, SqliteException))
        {
            // SQLITE_BUSY, SQLITE_LOCKED, SQLITE_IOERR, SQLITE_FULL, SQLITE_CANTOPEN.
            return Read(exception, "SqliteErrorCode") is 5 or 6 or 10 or 13 or 14;
        }

        return exception.SqlState switch
        {
            // No server code: the provider lost or could not open the connection (Npgsql's "No suitable host").
            null => exception.InnerException is null or TimeoutException or SocketException or IOException or AggregateException || IsTransient(exception.InnerException),
            { Length: 5 } code when code.StartsWith("08", StringComparison.Ordinal) || code.StartsWith("40", StringComparison.Ordinal) ||
                code.StartsWith("53", StringComparison.Ordinal) || code.StartsWith("57", StringComparison.Ordinal) ||
                code.StartsWith("58", StringComparison.Ordinal) => true,
            "25006" or "55P03" or "55006" or "3D000" => true,
            _ => false,
        };
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
