using Inbox.Claims;

namespace Inbox.Stores;

/// <summary>
/// The consumer inbox's entries: one per consumer and message key, claimed before the handler runs. Every transition
/// that ends a claim carries that claim's token, and each that changes the entry and its operation is atomic. A store
/// that implements this (and the operation stores) serves every mode but those that need the handler's writes in the
/// claim's transaction (<see cref="IInboxUnitOfWork"/>). Resolved per message from the handler's scope.
/// </summary>
public interface IInboxEntryStore
{
    /// <summary>
    /// Claims the entry: inserts it, or takes over a failed entry (a redrive) or a processing one whose lease expired
    /// before <see cref="InboxClaimRequest.TakeoverBefore"/>. A leased claim that starts an operation marks it
    /// processing in the same atomic step.
    /// </summary>
    /// <returns>The entry as the claim left it; <see cref="InboxClaimResult.Claimed"/> when this request holds it.</returns>
    ValueTask<InboxClaimResult> ClaimAsync(InboxClaimRequest request, CancellationToken cancellationToken);

    /// <summary>Reads the entry; <see cref="InboxClaimResult.Claimed"/> when <paramref name="claimToken"/> holds it.</summary>
    /// <returns>The entry, or <see langword="null"/> when there is none.</returns>
    ValueTask<InboxClaimResult?> ReadClaimAsync(string consumer, string messageKey, string claimToken, CancellationToken cancellationToken);

    /// <summary>
    /// Records a leased claim's outcome (succeeded, with its result) while its token still holds the lease, and then
    /// completes the operation unless it already succeeded, atomically. A store bound to a data context also saves
    /// whatever the handler left tracked, in the same transaction.
    /// </summary>
    /// <returns>Whether the token still held the lease; when not, nothing is recorded.</returns>
    ValueTask<bool> CompleteLeasedAsync(LeasedOutcome outcome, CancellationToken cancellationToken);

    /// <summary>
    /// Completes the operation with the result of the consumer's succeeded entry, unless it already succeeded: a
    /// duplicate that finds the entry succeeded and its operation unfinished repairs a completion that was lost.
    /// </summary>
    /// <returns>Whether the operation was completed now.</returns>
    ValueTask<bool> CompleteOperationAsync(string consumer, string messageKey, string operationId, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Releases a leased claim after its attempt threw, so the next attempt claims at once; only while the token holds it.</summary>
    ValueTask ReleaseAttemptAsync(string consumer, string messageKey, string claimToken, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Records that retries are exhausted: the entry the delivery's lease held is released as failed (so a redrive may
    /// run it), and the operation, unless it succeeded, fails with the error, atomically; never when the lease passed
    /// to another delivery. A delivery that held no lease fails the operation only while no other delivery's entry
    /// succeeded or holds a live lease.
    /// </summary>
    ValueTask RecordFailureAsync(InboxFailure failure, CancellationToken cancellationToken);
}
