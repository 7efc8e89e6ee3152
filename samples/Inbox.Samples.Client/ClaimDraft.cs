namespace Inbox.Samples.Client;

/// <summary>A claim the user has committed to submit, with the key made at that moment and kept with it.</summary>
public sealed record ClaimDraft(string IdempotencyKey, ClaimBody Body)
{
    public static ClaimDraft New(int number) => new(
        Guid.NewGuid().ToString(),
        new ClaimBody($"pat_{number:D3}", "payer_acme", 10_000 + number, ["99213"]));
}
