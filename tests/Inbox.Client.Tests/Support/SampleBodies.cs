using System.Text.Json.Serialization;

namespace Inbox.Client.Tests.Support;

public sealed record ClaimBody(string PatientId, string PayerId, long AmountCents, IReadOnlyList<string> ServiceCodes)
{
    public static ClaimBody For(int amountCents) => new("pat_client", "payer_acme", amountCents, ["99213"]);
}

public sealed record ClaimResult(string ClaimId, string Status);

public sealed record WebhookBody(string SubscriptionId, string EventType, object Payload)
{
    public static WebhookBody To(string subscription) => new(subscription, "claim.updated", new { claim_id = "clm_1" });
}

public sealed record WebhookResult(string WebhookId, int SubscriberStatus);

public sealed record Effects([property: JsonPropertyName("webhooks")] EffectCount Webhooks);

public sealed record EffectCount(int Calls, Dictionary<string, int> ByKey);
