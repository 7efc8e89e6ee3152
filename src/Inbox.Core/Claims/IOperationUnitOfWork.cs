using Inbox.Operations;

namespace Inbox.Claims;

/// <summary>
/// Runs a synchronous request in transactional mode: one transaction on the application's data context holds the
/// operation's claim, the handler's writes and the stored response, so an exception or a crash leaves nothing, and a
/// concurrent request with the same key waits on the database. Implemented by a store package (the EF Core one binds it
/// to the application's <c>DbContext</c>) and resolved per request.
/// </summary>
public interface IOperationUnitOfWork
{
    /// <summary>
    /// Runs <paramref name="request"/> as the unit of work: a claim it makes (<see cref="ClaimAsync"/>) opens the
    /// transaction, <see cref="CompleteAsync"/> commits it, and a transaction still open when
    /// <paramref name="request"/> returns or throws is rolled back. The request runs once: a transient failure that the
    /// store's retry policy would retry surfaces as <see cref="Stores.InboxStoreUnavailableException"/>.
    /// </summary>
    Task RunAsync(Func<CancellationToken, Task> request, CancellationToken cancellationToken);

    /// <summary>
    /// Begins the transaction and claims the operation in it, as <see cref="Stores.IOperationClaimStore.ClaimAsync"/>
    /// does but holding the row by its lock until the commit. When the claim does not hold, the transaction is rolled
    /// back at once.
    /// </summary>
    /// <exception cref="TimeoutException">A concurrent request with the same key held it for longer than <paramref name="maxWait"/>.</exception>
    /// <exception cref="Stores.InboxStoreUnavailableException">The store could not be reached or did not answer.</exception>
    ValueTask<OperationClaim> ClaimAsync(OperationClaimRequest request, TimeSpan maxWait, CancellationToken cancellationToken);

    /// <summary>
    /// Saves what the handler left tracked, stores <paramref name="response"/> with the operation and commits. With
    /// <paramref name="response"/> <see langword="null"/> (a response too large to store), the operation is deleted
    /// instead, so its key is free, and the handler's writes commit alone.
    /// </summary>
    ValueTask CompleteAsync(StoredResponse? response, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Rolls back the claim and the handler's writes, if the transaction is still open.</summary>
    ValueTask RollbackAsync(CancellationToken cancellationToken);
}
