namespace Inbox.Claims;

/// <summary>The outcome of a leased claim, recorded only while its token still holds the lease.</summary>
/// <param name="Consumer">The consumer's inbox name.</param>
/// <param name="MessageKey">The message's key.</param>
/// <param name="ClaimToken">The token of the claim whose lease the outcome needs.</param>
/// <param name="ResultJson">The consumer's result, JSON, or <see langword="null"/>.</param>
/// <param name="CompletesOperationId">The operation the outcome completes (unless it already succeeded); <see langword="null"/> for none.</param>
/// <param name="Now">The recorder's clock.</param>
public readonly record struct LeasedOutcome(
    string Consumer, string MessageKey, string ClaimToken, string? ResultJson, string? CompletesOperationId, DateTimeOffset Now);
