namespace Inbox.Claims;

/// <summary>How an attempt ended, and for <see cref="InboxAttemptOutcome.Held"/> until when the other delivery's lease holds.</summary>
public readonly record struct InboxAttemptResult(InboxAttemptOutcome Outcome, DateTimeOffset? LeaseExpiresAt = null)
{
    /// <summary>The handler ran and its outcome is recorded.</summary>
    public static InboxAttemptResult Done { get; } = new(InboxAttemptOutcome.Done);

    /// <summary>The message already ran.</summary>
    public static InboxAttemptResult Duplicate { get; } = new(InboxAttemptOutcome.Duplicate);

    /// <summary>What a claim that did not hold means: a duplicate when the entry succeeded, else held by another delivery.</summary>
    public static InboxAttemptResult NotClaimed(InboxClaimResult claim) =>
        claim.Status == Operations.OperationStatus.Succeeded ? Duplicate : new(InboxAttemptOutcome.Held, claim.LeaseExpiresAt);
}
