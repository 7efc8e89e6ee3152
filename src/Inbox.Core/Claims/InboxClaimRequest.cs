namespace Inbox.Claims;

/// <summary>What a delivery asks for when it claims a message for a consumer.</summary>
/// <param name="Consumer">The consumer's inbox name: with <paramref name="MessageKey"/>, the entry's key.</param>
/// <param name="MessageKey">What identifies the message for deduplication.</param>
/// <param name="OperationId">The operation the message belongs to, recorded on the entry; <see langword="null"/> for a message that came from elsewhere.</param>
/// <param name="ClaimToken">This attempt's token: every later transition of the entry carries it.</param>
/// <param name="Now">The claimer's clock.</param>
/// <param name="ExpiresAt">When the entry may be swept.</param>
/// <param name="TakeoverBefore">A processing entry whose lease expired before this instant may be taken over.</param>
/// <param name="LeaseExpiresAt">The lease of a leased claim; <see langword="null"/> for a claim inside the caller's transaction.</param>
/// <param name="StartsOperationId">
/// For a leased claim, the operation to mark processing when the claim holds (the store also moves its relay time
/// past the lease), in the same atomic step.
/// </param>
public readonly record struct InboxClaimRequest(
    string Consumer,
    string MessageKey,
    string? OperationId,
    string ClaimToken,
    DateTimeOffset Now,
    DateTimeOffset ExpiresAt,
    DateTimeOffset TakeoverBefore,
    DateTimeOffset? LeaseExpiresAt,
    string? StartsOperationId = null);
