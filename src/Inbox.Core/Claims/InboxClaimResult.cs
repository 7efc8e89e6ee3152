using Inbox.Operations;

namespace Inbox.Claims;

/// <summary>The inbox entry as a claim or a read left it.</summary>
/// <param name="Claimed">Whether the token asked for holds the entry.</param>
/// <param name="Status">The entry's status: succeeded once the consumer ran, processing while a lease holds it, failed after exhausted retries.</param>
/// <param name="Attempt">How many claims the entry has had.</param>
/// <param name="Kind">How the last claim was made.</param>
/// <param name="LeaseExpiresAt">The holder's lease; <see langword="null"/> when none is held.</param>
/// <param name="OperationUnfinished">
/// Read with an entry that was not claimed: whether the entry's operation exists and has not succeeded, so a
/// duplicate that finds the entry succeeded completes it (<see cref="Stores.IInboxEntryStore.CompleteOperationAsync"/>).
/// </param>
public readonly record struct InboxClaimResult(
    bool Claimed, OperationStatus Status, int Attempt, ClaimKind Kind, DateTimeOffset? LeaseExpiresAt, bool OperationUnfinished = false);
