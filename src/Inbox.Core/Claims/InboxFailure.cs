namespace Inbox.Claims;

/// <summary>A delivery whose retries are exhausted.</summary>
/// <param name="Consumer">The consumer's inbox name.</param>
/// <param name="MessageKey">The message's key.</param>
/// <param name="HeldClaimToken">The token of the delivery's last leased claim; <see langword="null"/> when it held none (a transactional attempt leaves no entry).</param>
/// <param name="FailsOperationId">The operation to fail (unless it succeeded); <see langword="null"/> for none.</param>
/// <param name="ErrorCode">The stable error code the status endpoint shows.</param>
/// <param name="ErrorMessage">The error message the status endpoint shows.</param>
/// <param name="Now">The recorder's clock.</param>
/// <param name="TakeoverBefore">
/// Leases that expired before this instant count as dead (the claimer's clock less its skew margin, as for a claim):
/// a delivery that held no lease fails the operation only when no other delivery's entry succeeded or holds a lease
/// alive by this measure.
/// </param>
public readonly record struct InboxFailure(
    string Consumer,
    string MessageKey,
    string? HeldClaimToken,
    string? FailsOperationId,
    string ErrorCode,
    string ErrorMessage,
    DateTimeOffset Now,
    DateTimeOffset TakeoverBefore);
