namespace Inbox.Client.Tests.Support;

public sealed record WebhookResult(string WebhookId, int SubscriberStatus);
