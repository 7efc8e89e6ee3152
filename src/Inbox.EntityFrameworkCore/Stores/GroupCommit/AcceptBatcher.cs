using Inbox.Background;
using Inbox.EntityFrameworkCore.Inbox;
using Inbox.EntityFrameworkCore.Sql;
using Inbox.Operations;
using Inbox.Stores;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Inbox.EntityFrameworkCore.Stores.GroupCommit;

/// <summary>
/// Group commit of first submissions (<see cref="InboxStoreOptions.GroupCommit"/>), one per context type: acceptances
/// queue while a batch is on its way to the database, and the queue leaves as one statement, one round trip and one
/// commit, on a context of its own (a scope per batch), when the batch on its way returns, when it holds
/// <see cref="InboxStoreOptions.GroupCommitMaxRows"/> acceptances, or after <see cref="InboxStoreOptions.GroupCommitWindow"/>.
/// An acceptance that finds nothing on its way and nothing queued runs alone, on the request's own context with the
/// per-request statement (a batch of one would only add a scope, array parameters and a hand-off), and later arrivals
/// queue behind it as behind a batch.
/// Only the first acceptance of a key joins; a later one waits for it and then runs alone, so one statement never
/// holds two acceptances of one key. Whatever a batch cannot decide (an expired row, a key another transaction
/// committed meanwhile, a batch held up past its wait limit) each acceptance decides alone; that is safe because the
/// batch either stored nothing or stored the acceptance under its own id, which the per-request path recognises.
/// </summary>
internal sealed class AcceptBatcher<TDbContext>(
    IServiceScopeFactory scopes,
    IOptions<InboxStoreOptions> options,
    TimeProvider time,
    AcceptBatchMetrics metrics,
    ILogger<AcceptBatcher<TDbContext>> logger) : IAsyncDisposable
    where TDbContext : DbContext
{
    // A batch waits on the database (a key held by another writer, the connection pool) for at most half the
    // acceptances' wait limit, and never longer than this, so that each still has time to run alone and be told in use
    // by itself.
    private static readonly TimeSpan MaxBatchWait = TimeSpan.FromSeconds(1);

    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly Dictionary<(string Tenant, string Endpoint, string Key), Task<AcceptOutcome?>> _keys = [];
    private List<QueuedAcceptance> _queued = [];
    private int _batchesInFlight;
    private ITimer? _window;
    private bool _closed;
    private string? _connectionString;
    private int _reportedIgnored;
    private int _reportedOtherConnection;

    /// <summary>
    /// Whether an acceptance on <paramref name="db"/> joins a batch: group commit is on, the provider is PostgreSQL, the
    /// context has no transaction of its own (its insert belongs to that), and its connection string is the one the
    /// batches' own contexts use (a context that picks its database per request would otherwise write elsewhere).
    /// </summary>
    public bool Joins(DbContext db, OperationSql sql)
    {
        if (!options.Value.GroupCommit)
        {
            return false;
        }

        if (sql.InsertOrSelectBatch is null)
        {
            if (Interlocked.Exchange(ref _reportedIgnored, 1) == 0)
            {
                Log.GroupCommitIgnored(logger, sql.Provider.ToString());
            }

            return false;
        }

        if (db.Database.CurrentTransaction is not null || System.Transactions.Transaction.Current is not null)
        {
            return false;
        }

        _connectionString ??= BatchConnectionString();
        if (!string.Equals(db.Database.GetConnectionString(), _connectionString, StringComparison.Ordinal))
        {
            if (Interlocked.Exchange(ref _reportedOtherConnection, 1) == 0)
            {
                Log.GroupCommitOtherConnection(logger);
            }

            return false;
        }

        return true;
    }

    /// <summary>Cancelled when the batcher stops; an acceptance running alone in its turn stops with it.</summary>
    public CancellationToken StopToken => _stopping.Token;

    /// <summary>
    /// The outcome of <paramref name="operation"/>, once its batch committed; or <see cref="BatchAdmission.Alone"/> when
    /// it runs alone now in the batcher's turn; or neither when it is to be accepted alone (by the per-request path,
    /// with the same id).
    /// </summary>
    /// <exception cref="InboxStoreUnavailableException">The batch's database was unavailable, or the application is stopping.</exception>
    public async Task<BatchAdmission> AcceptAsync(
        NewOperation operation, AcceptanceValues values, TimeSpan maxWait, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var queued = new QueuedAcceptance(operation, values, maxWait);
        Task<AcceptOutcome?>? earlier = null;
        List<QueuedAcceptance>? batch = null;
        lock (_gate)
        {
            if (_closed)
            {
                throw Stopping(null);
            }

            if (queued.Key is { } key && !_keys.TryAdd(key, queued.Outcome.Task))
            {
                earlier = _keys[key];
            }
            else
            {
                _queued.Add(queued);
                batch = TakeBatchIfDue(force: false);
            }
        }

        if (earlier is not null)
        {
            try
            {
                await earlier.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception) when (!cancellationToken.IsCancellationRequested)
            {
                // However the earlier acceptance ended, this one now runs alone and the database decides.
            }

            return default;
        }

        if (batch is [var only] && only == queued)
        {
            metrics.BatchSent(1);
            return new BatchAdmission(null, queued);
        }

        if (batch is not null)
        {
            _ = RunAsync(batch);
        }

        try
        {
            return new BatchAdmission(await queued.Outcome.Task.WaitAsync(cancellationToken).ConfigureAwait(false), null);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Still queued, it leaves the queue and stores nothing. Already in a batch, it only stops waiting: its row
            // may still be committed, as a cancelled statement's may on the per-request path (a retry with its key then
            // replays it, the relay publishes it).
            Withdraw(queued);
            throw;
        }
    }

    /// <summary>Gives back the turn of an acceptance that ran alone: a later one of its key runs, the queue leaves.</summary>
    public void FinishAlone(QueuedAcceptance alone)
    {
        List<QueuedAcceptance>? next;
        lock (_gate)
        {
            ForgetKey(alone);
            _batchesInFlight--;
            next = _closed ? null : TakeBatchIfDue(force: false);
        }

        alone.Outcome.TrySetResult(null);
        if (next is not null)
        {
            _ = RunAsync(next);
        }
    }

    /// <summary>The error of an acceptance that the batcher's stop interrupted.</summary>
    public static InboxStoreUnavailableException StoppingError(Exception exception) => Stopping(exception);

    public async ValueTask DisposeAsync()
    {
        List<QueuedAcceptance> queued;
        lock (_gate)
        {
            if (_closed)
            {
                return;
            }

            _closed = true;
            queued = _queued;
            _queued = [];
            _window?.Dispose();
            _window = null;
            foreach (var acceptance in queued)
            {
                ForgetKey(acceptance);
            }
        }

        // Batches on their way stop waiting for the database and fail their acceptances as unavailable.
        await _stopping.CancelAsync().ConfigureAwait(false);
        foreach (var acceptance in queued)
        {
            acceptance.Outcome.TrySetException(Stopping(null));
        }
    }

    /// <summary>The queue as a batch, if it is due to leave; otherwise the window starts for it. Under the gate.</summary>
    private List<QueuedAcceptance>? TakeBatchIfDue(bool force)
    {
        if (_queued.Count == 0)
        {
            return null;
        }

        var settings = options.Value;
        if (force || _batchesInFlight == 0 || _queued.Count >= settings.GroupCommitMaxRows)
        {
            var batch = _queued;
            _queued = [];
            _window?.Dispose();
            _window = null;
            _batchesInFlight++;
            return batch;
        }

        _window ??= time.CreateTimer(
            static state => ((AcceptBatcher<TDbContext>)state!).OnWindowPassed(), this, settings.GroupCommitWindow, Timeout.InfiniteTimeSpan);
        return null;
    }

    private void OnWindowPassed()
    {
        List<QueuedAcceptance>? batch;
        lock (_gate)
        {
            batch = _closed ? null : TakeBatchIfDue(force: true);
        }

        if (batch is not null)
        {
            _ = RunAsync(batch);
        }
    }

    private void Withdraw(QueuedAcceptance queued)
    {
        lock (_gate)
        {
            if (_queued.Remove(queued))
            {
                ForgetKey(queued);
            }
        }

        // A later acceptance of its key waits on this outcome; it now runs alone.
        queued.Outcome.TrySetResult(null);
    }

    /// <summary>Under the gate.</summary>
    private void ForgetKey(QueuedAcceptance acceptance)
    {
        if (acceptance.Key is { } key && _keys.TryGetValue(key, out var task) && task == acceptance.Outcome.Task)
        {
            _keys.Remove(key);
        }
    }

    private async Task RunAsync(List<QueuedAcceptance> batch)
    {
        metrics.BatchSent(batch.Count);
        var limit = TimeSpan.FromTicks(Math.Min(batch.Min(a => a.MaxWait).Ticks / 2, MaxBatchWait.Ticks));
        try
        {
            using var waitLimit = new CancellationTokenSource(limit, time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(waitLimit.Token, _stopping.Token);
            try
            {
                var outcomes = await InsertOrSelectAsync(batch, linked.Token).ConfigureAwait(false);
                Complete(batch, (acceptance, i) => acceptance.Outcome.TrySetResult(outcomes[i]));
            }
            catch (Exception exception) when (_stopping.IsCancellationRequested)
            {
                Complete(batch, (acceptance, _) => acceptance.Outcome.TrySetException(Stopping(exception)));
            }
            catch (Exception exception) when (waitLimit.IsCancellationRequested || DatabaseErrors.IsWaitTimeout(exception))
            {
                Log.GroupCommitBatchWaited(logger, batch.Count, limit);
                Complete(batch, (acceptance, _) => acceptance.Outcome.TrySetResult(null));
            }
            catch (Exception exception) when (DatabaseErrors.IsUnavailable(exception, CancellationToken.None))
            {
                Complete(batch, (acceptance, _) => acceptance.Outcome.TrySetException(
                    new InboxStoreUnavailableException("The operation could not be accepted: the database is unavailable.", exception)));
            }
            catch (Exception exception)
            {
                // An error of the statement itself (a missing table, bad data): a defect, which surfaces as itself.
                Complete(batch, (acceptance, _) => acceptance.Outcome.TrySetException(exception));
            }
        }
        finally
        {
            List<QueuedAcceptance>? next;
            lock (_gate)
            {
                foreach (var acceptance in batch)
                {
                    ForgetKey(acceptance);
                }

                _batchesInFlight--;
                next = _closed ? null : TakeBatchIfDue(force: false);
            }

            if (next is not null)
            {
                _ = RunAsync(next);
            }
        }
    }

    private static void Complete(List<QueuedAcceptance> batch, Action<QueuedAcceptance, int> complete)
    {
        for (var i = 0; i < batch.Count; i++)
        {
            complete(batch[i], i);
        }
    }

    /// <summary>
    /// Runs the batch's statement and reads all of it before returning: the reader's end is the commit, so no outcome
    /// is known before the commit succeeded.
    /// </summary>
    private async Task<AcceptOutcome?[]> InsertOrSelectAsync(List<QueuedAcceptance> batch, CancellationToken cancellationToken)
    {
        var scope = scopes.CreateAsyncScope();
        await using var scopeLease = scope.ConfigureAwait(false);
        var db = scope.ServiceProvider.GetRequiredService<TDbContext>();
        var statement = OperationSql.For(db).InsertOrSelectBatch!;
        var indexById = new Dictionary<string, int>(batch.Count, StringComparer.Ordinal);
        var values = new AcceptanceValues[batch.Count];
        for (var i = 0; i < batch.Count; i++)
        {
            indexById[batch[i].Values.Id] = i;
            values[i] = batch[i].Values;
        }

        var outcomes = new AcceptOutcome?[batch.Count];
        var existing = new List<(int Index, AcceptOutcome Outcome, DateTimeOffset ExpiresAt)>();
        var reader = await RawSql.ReadAsync(db, statement, new AcceptanceBatchValues(values), cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            var row = reader.DbDataReader;
            while (await row.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var id = row.GetString(1);
                if (row.IsDBNull(0))
                {
                    var operation = batch[indexById[id]].Operation;
                    outcomes[indexById[id]] = new AcceptOutcome(AcceptOutcomeKind.Created, operation.Id, operation.Fingerprint, operation.Response);
                    continue;
                }

                var response = new StoredResponse(
                    row.GetInt32(3), StoredResponseHeaders.Deserialize(row.GetString(4)), row.GetFieldValue<byte[]>(5));
                existing.Add((
                    (int)row.GetInt64(0) - 1,
                    new AcceptOutcome(AcceptOutcomeKind.Existing, id, row.GetFieldValue<byte[]>(2), response),
                    row.GetFieldValue<DateTimeOffset>(6)));
            }
        }

        foreach (var (index, outcome, expiresAt) in existing)
        {
            // An expired row is replaced by the acceptance alone (ReplaceExpired); the batch decides only live ones.
            if (outcomes[index] is null && expiresAt > batch[index].Operation.CreatedAt)
            {
                outcomes[index] = outcome;
            }
        }

        return outcomes;
    }

    private string? BatchConnectionString()
    {
        using var scope = scopes.CreateScope();
        return scope.ServiceProvider.GetRequiredService<TDbContext>().Database.GetConnectionString();
    }

    private static InboxStoreUnavailableException Stopping(Exception? exception) =>
        new("The operation could not be accepted: the application is stopping.", exception!);
}
