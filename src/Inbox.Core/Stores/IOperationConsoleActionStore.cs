using Inbox.Operating;
using Inbox.Publishing;

namespace Inbox.Stores;

/// <summary>
/// The operations console's actions on operations and inbox entries. Every action takes the tenant it is scoped to
/// (<see langword="null"/> acts on every tenant's rows, only for an operator allowed to see all tenants) and changes a
/// row only in one guarded statement, so a concurrent consumer's outcome is never overwritten: a succeeded operation
/// is never redriven, and a live lease is never released. When the store cannot be reached, its methods throw
/// <see cref="InboxStoreUnavailableException"/>.
/// </summary>
public interface IOperationConsoleActionStore
{
    /// <summary>
    /// Redrives one failed operation: it becomes <c>accepted</c> again (error cleared, relay attempts reset, relay time
    /// one relay delay from <paramref name="now"/>), so the caller publishes its message now and the relay republishes
    /// it if that publish is lost. Its failed inbox entries stay as they are: a failed entry is claimable, and the next
    /// delivery claims it as a redrive. Only an unexpired failed operation with a message is redriven.
    /// </summary>
    /// <param name="tenant">The tenant, or <see langword="null"/> for any tenant.</param>
    /// <param name="operationId">The operation id.</param>
    /// <param name="now">The clock's now.</param>
    /// <param name="cancellationToken">Cancels the action.</param>
    /// <exception cref="InboxStoreUnavailableException">The store could not be reached or did not answer.</exception>
    ValueTask<OperationRedrive> RedriveAsync(string? tenant, string operationId, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Redrives up to <paramref name="limit"/> failed operations of <paramref name="endpoint"/> that failed with
    /// <paramref name="errorCode"/>, as <see cref="RedriveAsync"/> does one; rows another transaction holds are skipped
    /// where the provider can. Call again until fewer than <paramref name="limit"/> come back.
    /// </summary>
    /// <returns>The redriven operations' messages, to publish now.</returns>
    /// <exception cref="InboxStoreUnavailableException">The store could not be reached or did not answer.</exception>
    ValueTask<IReadOnlyList<StoredPublication>> RedriveFailuresAsync(
        string? tenant, string errorCode, string endpoint, DateTimeOffset now, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Releases up to <paramref name="limit"/> leases of each kind that expired before <paramref name="expiredBefore"/>
    /// (the clock's now less the lease skew margin): a synchronous request's operation loses its lease, so the same
    /// request's retry takes it over at once (same operation, same downstream keys), while its holder may still complete
    /// it if no retry came; and the unfinished operation of a consumer's processing inbox entry whose lease expired is
    /// made due for publishing, so a delivery takes the entry over (a takeover, with the same downstream key) now
    /// rather than at the relay's next backoff. The entries themselves are left as they are: an expired lease is
    /// already claimable.
    /// </summary>
    /// <exception cref="InboxStoreUnavailableException">The store could not be reached or did not answer.</exception>
    ValueTask<ReleasedLeases> ReleaseExpiredLeasesAsync(
        string? tenant, DateTimeOffset now, DateTimeOffset expiredBefore, int limit, CancellationToken cancellationToken);
}
