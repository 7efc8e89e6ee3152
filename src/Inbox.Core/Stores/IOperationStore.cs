using Inbox.Operations;

namespace Inbox.Stores;

/// <summary>
/// Stores operations for the HTTP side. Every lookup carries the tenant: there is no way to read an
/// operation without it. When the store cannot be reached, its methods throw
/// <see cref="InboxStoreUnavailableException"/> (whatever the provider's own exception), which the HTTP side
/// answers with 503; a cancelled call throws <see cref="OperationCanceledException"/> instead.
/// </summary>
public interface IOperationStore
{
    /// <summary>
    /// Stores <paramref name="operation"/> unless a live operation with the same scope and key exists, in one
    /// round trip where the provider allows (insert, or on conflict read the existing row). An existing
    /// operation whose key has expired is replaced by the new one. Returns once the outcome is committed.
    /// A concurrent acceptance of the same key waits on the database, for at most about <paramref name="maxWait"/>
    /// (providers that cannot be cancelled while they wait use it as their command timeout), then throws
    /// <see cref="TimeoutException"/>; cancel <paramref name="cancellationToken"/> to give up sooner.
    /// </summary>
    /// <exception cref="TimeoutException">A concurrent acceptance of the same key held it for longer than <paramref name="maxWait"/>.</exception>
    /// <exception cref="InboxStoreUnavailableException">The store could not be reached or did not answer.</exception>
    ValueTask<AcceptOutcome> AcceptAsync(NewOperation operation, TimeSpan maxWait, CancellationToken cancellationToken);

    /// <summary>
    /// Reads an operation of <paramref name="tenant"/>.
    /// </summary>
    /// <returns>
    /// The operation, or <see langword="null"/> when no operation has this id, it belongs to another tenant,
    /// or it expired at or before <paramref name="now"/> (even if the sweeper has not removed it yet).
    /// </returns>
    /// <exception cref="InboxStoreUnavailableException">The store could not be reached or did not answer.</exception>
    ValueTask<OperationRecord?> FindAsync(string tenant, string operationId, DateTimeOffset now, CancellationToken cancellationToken);
}
