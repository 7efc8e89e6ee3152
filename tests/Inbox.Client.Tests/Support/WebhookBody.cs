namespace Inbox.Client.Tests.Support;

public sealed record WebhookBody(string SubscriptionId, string EventType, object Payload)
{
    public static WebhookBody To(string subscription) => new(subscription, "claim.updated", new { claim_id = "clm_1" });
}
