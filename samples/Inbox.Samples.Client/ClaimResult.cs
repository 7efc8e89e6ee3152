namespace Inbox.Samples.Client;

/// <summary>The claim operation's result: <c>{"claim_id": ..., "status": "submitted"}</c>.</summary>
public sealed record ClaimResult(string ClaimId, string Status);
