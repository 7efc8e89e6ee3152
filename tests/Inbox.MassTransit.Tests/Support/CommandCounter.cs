using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Inbox.MassTransit.Tests.Support;

/// <summary>Counts the database round trips (commands) and transactions that go through EF Core.</summary>
public sealed class CommandCounter : DbCommandInterceptor, IDbTransactionInterceptor
{
    private int _commands;
    private int _transactions;
    private int _commits;

    public int Commands => Volatile.Read(ref _commands);

    public int Transactions => Volatile.Read(ref _transactions);

    public int Commits => Volatile.Read(ref _commits);

    public List<string> Texts { get; } = [];

    public void Reset()
    {
        Interlocked.Exchange(ref _commands, 0);
        Interlocked.Exchange(ref _transactions, 0);
        Interlocked.Exchange(ref _commits, 0);
        lock (Texts)
        {
            Texts.Clear();
        }
    }

    private void Count(DbCommand command)
    {
        Interlocked.Increment(ref _commands);
        lock (Texts)
        {
            Texts.Add(command.CommandText);
        }
    }

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        Count(command);
        return ValueTask.FromResult(result);
    }

    public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Count(command);
        return ValueTask.FromResult(result);
    }

    public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<object> result, CancellationToken cancellationToken = default)
    {
        Count(command);
        return ValueTask.FromResult(result);
    }

    public ValueTask<InterceptionResult<DbTransaction>> TransactionStartingAsync(DbConnection connection, TransactionStartingEventData eventData, InterceptionResult<DbTransaction> result, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _transactions);
        return ValueTask.FromResult(result);
    }

    public ValueTask<InterceptionResult> TransactionCommittingAsync(DbTransaction transaction, TransactionEventData eventData, InterceptionResult result, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _commits);
        return ValueTask.FromResult(result);
    }
}
