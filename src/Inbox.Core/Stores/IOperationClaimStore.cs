using Inbox.Operations;

namespace Inbox.Stores;

/// <summary>
/// Claims operations for synchronous endpoints in leased mode: the claim commits at once with a lease, the handler
/// runs outside any transaction, and its response is stored when it completes. Every transition after the claim
/// carries the claim's token, so a request whose lease was taken over can neither complete nor release the operation.
/// When the store cannot be reached, its methods throw <see cref="InboxStoreUnavailableException"/>.
/// </summary>
public interface IOperationClaimStore
{
    /// <summary>
    /// Inserts the operation as processing under the request's lease, unless a live operation with the same scope and
    /// key exists. An existing operation is returned as it is: completed (its stored response), or held by a live
    /// lease; one whose lease expired before <see cref="OperationClaimRequest.TakeoverBefore"/> is taken over by a
    /// request with the same fingerprint, keeping its id. An expired operation is replaced. A concurrent claim of the
    /// same key waits on the database for at most about <paramref name="maxWait"/>, then throws <see cref="TimeoutException"/>.
    /// </summary>
    /// <exception cref="TimeoutException">A concurrent claim of the same key held it for longer than <paramref name="maxWait"/>.</exception>
    /// <exception cref="InboxStoreUnavailableException">The store could not be reached or did not answer.</exception>
    ValueTask<OperationClaim> ClaimAsync(OperationClaimRequest request, TimeSpan maxWait, CancellationToken cancellationToken);

    /// <summary>
    /// Reads the live operation with the request's scope and key without claiming it: a replay's one indexed read,
    /// made before a transactional claim when the policy asks for it.
    /// </summary>
    /// <returns>
    /// The operation as <see cref="OperationClaimOutcome.Completed"/> (with its response) or
    /// <see cref="OperationClaimOutcome.Held"/> (unfinished under a live lease, or another request's fingerprint);
    /// <see langword="null"/> when there is none, it expired, or it could be taken over: the claim decides those.
    /// </returns>
    /// <exception cref="InboxStoreUnavailableException">The store could not be reached or did not answer.</exception>
    ValueTask<OperationClaim?> FindAsync(OperationClaimRequest request, CancellationToken cancellationToken);

    /// <summary>Stores the handler's response and marks the operation succeeded, while <paramref name="claimToken"/> still holds it.</summary>
    /// <returns>Whether the token still held the operation; when not, nothing is stored.</returns>
    ValueTask<bool> CompleteAsync(string operationId, string claimToken, StoredResponse response, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes the unfinished operation while <paramref name="claimToken"/> holds it, so its key is free and the next
    /// request with it runs the handler again.
    /// </summary>
    /// <returns>Whether the token still held the operation.</returns>
    ValueTask<bool> ReleaseAsync(string operationId, string claimToken, CancellationToken cancellationToken);
}
