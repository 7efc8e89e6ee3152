namespace Inbox.Claims;

/// <summary>
/// One attempt to run a handler behind an inbox claim: what the unit of work claims, and the handler it runs with
/// the claim it holds.
/// </summary>
/// <param name="Consumer">The consumer's inbox name.</param>
/// <param name="MessageKey">The message's key.</param>
/// <param name="CompletesOperationId">The operation the outcome completes; <see langword="null"/> for none.</param>
/// <param name="NewClaim">A fresh claim request (a new token, the clock now), for each claim the unit of work makes.</param>
/// <param name="Handler">
/// Runs the handler with the claim it holds and returns its result as JSON (or <see langword="null"/>). It runs at
/// most once per attempt.
/// </param>
public sealed record InboxAttempt(
    string Consumer,
    string MessageKey,
    string? CompletesOperationId,
    Func<InboxClaimRequest> NewClaim,
    Func<InboxClaimResult, CancellationToken, Task<string?>> Handler);
