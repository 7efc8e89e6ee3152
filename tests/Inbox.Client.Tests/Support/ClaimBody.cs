namespace Inbox.Client.Tests.Support;

public sealed record ClaimBody(string PatientId, string PayerId, long AmountCents, IReadOnlyList<string> ServiceCodes)
{
    public static ClaimBody For(int amountCents) => new("pat_client", "payer_acme", amountCents, ["99213"]);
}
