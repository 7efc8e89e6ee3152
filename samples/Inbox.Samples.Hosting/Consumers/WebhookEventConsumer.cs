using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Inbox.MassTransit;
using Inbox.Samples.Contracts;
using Inbox.Samples.Hosting;
using MassTransit;

namespace Inbox.Samples.Hosting.Consumers;

/// <summary>
/// Fires a webhook event: the call to the subscriber is the effect, made with a <c>webhook-id</c> that is the same
/// on every attempt, so the subscriber can drop repeats (Standard Webhooks).
/// </summary>
[IdempotentConsumer(InboxMode.Leased)]
public sealed class WebhookEventConsumer(IHttpClientFactory clients, Downstream downstream, TimeProvider time) : IConsumer<FireWebhookEvent>
{
    public async Task Consume(ConsumeContext<FireWebhookEvent> context)
    {
        var message = context.Message;
        var url = downstream.SubscriberUrl(message.SubscriptionId) ?? throw new OperationFailedException(
            "unknown_subscription", $"No subscriber is configured for subscription '{message.SubscriptionId}'.");
        var webhookId = context.GetDownstreamKey("webhook");

        using var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = JsonContent.Create(new { type = message.EventType, data = JsonDocument.Parse(message.PayloadJson).RootElement }),
        };
        request.Headers.Add("webhook-id", webhookId);
        request.Headers.Add("webhook-timestamp", time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));

        using var response = await clients.CreateClient(Downstream.HttpClientName).SendAsync(request, context.CancellationToken);
        if (response.StatusCode is >= HttpStatusCode.BadRequest and < HttpStatusCode.InternalServerError
            and not HttpStatusCode.RequestTimeout and not HttpStatusCode.TooManyRequests)
        {
            throw new OperationFailedException("subscriber_rejected", $"The subscriber answered {(int)response.StatusCode}.");
        }

        response.EnsureSuccessStatusCode();
        context.SetOperationResult(new { webhook_id = webhookId, subscriber_status = (int)response.StatusCode });
    }
}
