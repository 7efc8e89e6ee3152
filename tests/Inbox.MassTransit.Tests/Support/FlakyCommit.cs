using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Storage;

namespace Inbox.MassTransit.Tests.Support;

/// <summary>
/// A transient failure between a transaction's last statement and its commit, once armed, and an execution strategy
/// that retries it as EF Core's retrying strategies retry a dropped connection.
/// </summary>
public sealed class FlakyCommit : DbTransactionInterceptor
{
    private int _failuresLeft;
    private int _failures;

    public int Failures => Volatile.Read(ref _failures);

    public void FailNextCommit() => Interlocked.Exchange(ref _failuresLeft, 1);

    public override ValueTask<InterceptionResult> TransactionCommittingAsync(
        DbTransaction transaction, TransactionEventData eventData, InterceptionResult result, CancellationToken cancellationToken = default)
    {
        if (Interlocked.Decrement(ref _failuresLeft) >= 0)
        {
            Interlocked.Increment(ref _failures);
            throw new FlakyCommitException();
        }

        return base.TransactionCommittingAsync(transaction, eventData, result, cancellationToken);
    }

    /// <summary>Points SQLite at <paramref name="connectionString"/> with this failure and a strategy that retries it.</summary>
    public DbContextOptionsBuilder Apply(DbContextOptionsBuilder options, string connectionString) => options
        .UseSqlite(connectionString, sqlite => sqlite.ExecutionStrategy(dependencies => new RetryingStrategy(dependencies)))
        .AddInterceptors(this);

    private sealed class RetryingStrategy(ExecutionStrategyDependencies dependencies)
        : ExecutionStrategy(dependencies, maxRetryCount: 3, maxRetryDelay: TimeSpan.FromMilliseconds(10))
    {
        protected override bool ShouldRetryOn(Exception exception) => exception is FlakyCommitException;
    }
}
