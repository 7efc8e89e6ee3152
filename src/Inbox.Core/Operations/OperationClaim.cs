using Inbox.Claims;

namespace Inbox.Operations;

/// <summary>The result of claiming an operation for a synchronous request.</summary>
/// <param name="Outcome">Claimed, completed (replay) or held by another request.</param>
/// <param name="OperationId">The id of the claimed or existing operation.</param>
/// <param name="Fingerprint">The operation's stored fingerprint; compare it with the request's before replaying.</param>
/// <param name="Response">For <see cref="OperationClaimOutcome.Completed"/>, the stored response; otherwise <see langword="null"/>.</param>
/// <param name="Kind">For <see cref="OperationClaimOutcome.Claimed"/>, whether the operation was new or taken over from an expired lease.</param>
/// <param name="LeaseExpiresAt">For <see cref="OperationClaimOutcome.Held"/>, until when the other request's lease holds, when it has one.</param>
public sealed record OperationClaim(
    OperationClaimOutcome Outcome,
    string OperationId,
    byte[] Fingerprint,
    StoredResponse? Response,
    ClaimKind Kind = ClaimKind.Fresh,
    DateTimeOffset? LeaseExpiresAt = null);
