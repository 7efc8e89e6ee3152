namespace Inbox.Samples.Client;

/// <summary>A claim the user has committed to submit, with the key made at that moment and kept with it.</summary>
public sealed record ClaimDraft(string IdempotencyKey, ClaimBody Body)
{
    public static ClaimDraft New(int number) => new(
        Guid.NewGuid().ToString(),
        new ClaimBody($"pat_{number:D3}", "payer_acme", 10_000 + number, ["99213"]));
}

/// <summary>The body of <c>POST /v1/claims</c> (written in snake_case by <c>InboxClient</c>).</summary>
public sealed record ClaimBody(string PatientId, string PayerId, long AmountCents, IReadOnlyList<string> ServiceCodes);

/// <summary>The claim operation's result: <c>{"claim_id": ..., "status": "submitted"}</c>.</summary>
public sealed record ClaimResult(string ClaimId, string Status);
