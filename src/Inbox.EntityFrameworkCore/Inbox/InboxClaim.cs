using Inbox.Operations;

namespace Inbox.EntityFrameworkCore.Inbox;

/// <summary>What a delivery asks for when it claims a message for a consumer.</summary>
internal readonly record struct InboxClaimRequest(
    string Consumer,
    string MessageKey,
    string? OperationId,
    string ClaimToken,
    DateTimeOffset Now,
    DateTimeOffset ExpiresAt,
    DateTimeOffset TakeoverBefore,
    DateTimeOffset? LeaseExpiresAt);

/// <summary>How the last claim of an entry was made.</summary>
internal enum ClaimKind
{
    Fresh = 0,
    Redrive = 1,
    Takeover = 2,
}

/// <summary>The entry as the claim left it; <see cref="Claimed"/> when this delivery holds it.</summary>
internal readonly record struct InboxClaimResult(bool Claimed, OperationStatus Status, int Attempt, ClaimKind Kind, DateTimeOffset? LeaseExpiresAt);
