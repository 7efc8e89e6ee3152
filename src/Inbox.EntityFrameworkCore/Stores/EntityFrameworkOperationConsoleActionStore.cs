using Inbox.Background;
using Inbox.EntityFrameworkCore.Sql;
using Inbox.Operating;
using Inbox.Operations;
using Inbox.Publishing;
using Inbox.Stores;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Inbox.EntityFrameworkCore.Stores;

/// <summary>
/// The console's actions over <typeparamref name="TDbContext"/>: each one guarded statement of
/// <see cref="ConsoleActionSql"/>, with its own implicit transaction.
/// </summary>
internal sealed class EntityFrameworkOperationConsoleActionStore<TDbContext>(
    TDbContext db, IOperationConsoleStore reads, IOptions<InboxStoreOptions> options) : IOperationConsoleActionStore
    where TDbContext : DbContext
{
    public ValueTask<OperationRedrive> RedriveAsync(string? tenant, string operationId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operationId);
        return ActAsync(async () =>
        {
            var values = new ConsoleActionValues(tenant, now) { Id = operationId, RelayAt = now + options.Value.RelayDelay };
            var redriven = await ReadPublicationsAsync(ConsoleActionSql.For(db).Redrive(tenant is not null), values, cancellationToken).ConfigureAwait(false);
            if (redriven.Count == 1)
            {
                return new OperationRedrive(RedriveOutcome.Redriven, OperationStatus.Failed, redriven[0]);
            }

            // Not redriven: say why, from the row as it stands (the update changed nothing).
            var found = await reads.FindAsync(tenant, operationId, includeBodies: false, cancellationToken).ConfigureAwait(false);
            var outcome = found switch
            {
                null => RedriveOutcome.NotFound,
                { Summary.Status: not OperationStatus.Failed } => RedriveOutcome.NotFailed,
                { MessageType.Length: 0 } => RedriveOutcome.NoMessage,
                _ => RedriveOutcome.Expired,
            };
            return new OperationRedrive(outcome, found?.Summary.Status, Publication: null);
        }, cancellationToken);
    }

    public ValueTask<IReadOnlyList<StoredPublication>> RedriveFailuresAsync(
        string? tenant, string errorCode, string endpoint, DateTimeOffset now, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(errorCode);
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var values = new ConsoleActionValues(tenant, now)
        {
            ErrorCode = errorCode, Endpoint = endpoint, RelayAt = now + options.Value.RelayDelay, BatchSize = limit,
        };
        return ActAsync(
            async () => (IReadOnlyList<StoredPublication>)await ReadPublicationsAsync(
                ConsoleActionSql.For(db).RedriveGroup(tenant is not null), values, cancellationToken).ConfigureAwait(false),
            cancellationToken);
    }

    public ValueTask<ReleasedLeases> ReleaseExpiredLeasesAsync(
        string? tenant, DateTimeOffset now, DateTimeOffset expiredBefore, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var values = new ConsoleActionValues(tenant, now)
        {
            ExpiredBefore = expiredBefore, RelayAt = now + options.Value.RelayDelay, BatchSize = limit,
        };
        return ActAsync(async () =>
        {
            var sql = ConsoleActionSql.For(db);
            var synchronous = await CountRowsAsync(sql.ReleaseSynchronous(tenant is not null), values, cancellationToken).ConfigureAwait(false);
            var republish = await ReadPublicationsAsync(sql.RepublishExpiredEntries(tenant is not null), values, cancellationToken).ConfigureAwait(false);
            return new ReleasedLeases(synchronous, republish);
        }, cancellationToken);
    }

    private Task<List<StoredPublication>> ReadPublicationsAsync(
        Statement<ConsoleActionValues> statement, ConsoleActionValues values, CancellationToken cancellationToken) =>
        StoredPublications.ReadAsync(db, statement, values, cancellationToken);

    // The returned rows, not the rows-affected count, which SQL Server reports as -1 under some session options.
    private async Task<int> CountRowsAsync(Statement<ConsoleActionValues> statement, ConsoleActionValues values, CancellationToken cancellationToken)
    {
        var reader = await RawSql.ReadAsync(db, statement, values, cancellationToken).ConfigureAwait(false);
        await using var readerLease = reader.ConfigureAwait(false);
        var rows = 0;
        while (await reader.DbDataReader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows++;
        }

        return rows;
    }

    private static async ValueTask<T> ActAsync<T>(Func<Task<T>> act, CancellationToken cancellationToken)
    {
        try
        {
            return await act().ConfigureAwait(false);
        }
        catch (Exception exception) when (DatabaseErrors.IsUnavailable(exception, cancellationToken))
        {
            throw new InboxStoreUnavailableException("The operations console could not act on the store: the database is unavailable.", exception);
        }
    }
}
