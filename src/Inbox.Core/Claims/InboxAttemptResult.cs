namespace Inbox.Claims;

/// <summary>How an attempt ended.</summary>
/// <param name="Outcome">Done, a duplicate, or held by another delivery.</param>
/// <param name="LeaseExpiresAt">For <see cref="InboxAttemptOutcome.Held"/>, until when the other delivery's lease holds.</param>
/// <param name="OperationUnfinished">For <see cref="InboxAttemptOutcome.Duplicate"/>, whether the succeeded entry's operation was left unfinished.</param>
public readonly record struct InboxAttemptResult(InboxAttemptOutcome Outcome, DateTimeOffset? LeaseExpiresAt = null, bool OperationUnfinished = false)
{
    /// <summary>The handler ran and its outcome is recorded.</summary>
    public static InboxAttemptResult Done { get; } = new(InboxAttemptOutcome.Done);

    /// <summary>What a claim that did not hold means: a duplicate when the entry succeeded, else held by another delivery.</summary>
    public static InboxAttemptResult NotClaimed(InboxClaimResult claim) =>
        claim.Status == Operations.OperationStatus.Succeeded
            ? new(InboxAttemptOutcome.Duplicate, OperationUnfinished: claim.OperationUnfinished)
            : new(InboxAttemptOutcome.Held, claim.LeaseExpiresAt);
}
