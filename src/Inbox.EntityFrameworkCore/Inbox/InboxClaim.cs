using Inbox.Operations;

namespace Inbox.EntityFrameworkCore.Inbox;

/// <summary>
/// What a delivery asks for when it claims a message for a consumer. A leased claim may also start an operation
/// (<see cref="StartsOperation"/>): mark it processing and move its relay time, only when the claim holds.
/// </summary>
internal readonly record struct InboxClaimRequest(
    string Consumer,
    string MessageKey,
    string? OperationId,
    string ClaimToken,
    DateTimeOffset Now,
    DateTimeOffset ExpiresAt,
    DateTimeOffset TakeoverBefore,
    DateTimeOffset? LeaseExpiresAt,
    OperationStart? StartsOperation = null);

/// <summary>The operation a leased claim marks processing, and when the relay should republish it if the consumer goes away.</summary>
internal readonly record struct OperationStart(string OperationId, DateTimeOffset RelayAt);

/// <summary>How the last claim of an entry was made.</summary>
internal enum ClaimKind
{
    Fresh = 0,
    Redrive = 1,
    Takeover = 2,
}

/// <summary>The entry as the claim left it; <see cref="Claimed"/> when this delivery holds it.</summary>
internal readonly record struct InboxClaimResult(bool Claimed, OperationStatus Status, int Attempt, ClaimKind Kind, DateTimeOffset? LeaseExpiresAt);
