using System.Diagnostics;

namespace Inbox.MassTransit.Tests.Support;

/// <summary>
/// Counts the PostgreSQL commands of every kind (EF Core's and Inbox's own) on one database through Npgsql's
/// activity source, and the transactions started and committed through EF Core.
/// </summary>
public sealed class CommandCounter : Microsoft.EntityFrameworkCore.Diagnostics.DbTransactionInterceptor, IDisposable
{
    private readonly ActivityListener _listener;
    private int _commands;
    private int _transactions;
    private int _commits;

    public CommandCounter()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Npgsql",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStopped = activity =>
            {
                // Npgsql also traces physical connection opens ("CONNECT <database>"), which are not commands.
                if (Database is null
                    || activity.GetTagItem("db.namespace") as string != Database
                    || activity.DisplayName.StartsWith("CONNECT ", StringComparison.Ordinal))
                {
                    return;
                }

                lock (Names)
                {
                    Names.Add(activity.GetTagItem("db.query.text") as string ?? activity.DisplayName);
                }

                Interlocked.Increment(ref _commands);
            },
        };
        ActivitySource.AddActivityListener(_listener);
    }

    /// <summary>The database whose commands are counted; other tests' databases run alongside.</summary>
    public string? Database { get; set; }

    public List<string> Names { get; } = [];

    public int Commands => Volatile.Read(ref _commands);

    public int Transactions => Volatile.Read(ref _transactions);

    public int Commits => Volatile.Read(ref _commits);

    public void Reset()
    {
        Interlocked.Exchange(ref _commands, 0);
        Interlocked.Exchange(ref _transactions, 0);
        Interlocked.Exchange(ref _commits, 0);
        lock (Names)
        {
            Names.Clear();
        }
    }

    public override ValueTask<Microsoft.EntityFrameworkCore.Diagnostics.InterceptionResult<System.Data.Common.DbTransaction>> TransactionStartingAsync(
        System.Data.Common.DbConnection connection, Microsoft.EntityFrameworkCore.Diagnostics.TransactionStartingEventData eventData,
        Microsoft.EntityFrameworkCore.Diagnostics.InterceptionResult<System.Data.Common.DbTransaction> result, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _transactions);
        return ValueTask.FromResult(result);
    }

    public override ValueTask<Microsoft.EntityFrameworkCore.Diagnostics.InterceptionResult> TransactionCommittingAsync(
        System.Data.Common.DbTransaction transaction, Microsoft.EntityFrameworkCore.Diagnostics.TransactionEventData eventData,
        Microsoft.EntityFrameworkCore.Diagnostics.InterceptionResult result, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _commits);
        return ValueTask.FromResult(result);
    }

    public void Dispose() => _listener.Dispose();
}
