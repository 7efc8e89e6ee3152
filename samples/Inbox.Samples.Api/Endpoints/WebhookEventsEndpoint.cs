using System.Text.Json;
using Inbox.AspNetCore;
using Inbox.Samples.Contracts;

namespace Inbox.Samples.Api.Endpoints;

/// <summary><c>POST /v1/webhook-events</c>: fire a webhook event to a subscription's subscriber.</summary>
public static class WebhookEventsEndpoint
{
    public sealed record WebhookEventRequest(string? SubscriptionId, string? EventType, JsonElement? Payload);

    public static async Task<IResult> FireAsync(HttpContext context, IConfiguration configuration)
    {
        var (request, problem) = await JsonBody.ReadAsync<WebhookEventRequest>(context);
        if (problem is not null)
        {
            return problem;
        }

        var errors = new List<FieldError>();
        Validate.Identifier(errors, "subscription_id", request!.SubscriptionId);
        if (request.SubscriptionId is { Length: > 0 } id && string.IsNullOrEmpty(configuration[$"Subscriptions:{id}"]))
        {
            errors.Add(new FieldError("subscription_id", "names no known subscription"));
        }

        Validate.Identifier(errors, "event_type", request.EventType);
        if (request.Payload is not { ValueKind: JsonValueKind.Object } payload)
        {
            errors.Add(new FieldError("payload", "must be a JSON object"));
            return SampleErrors.Invalid(context, errors);
        }

        return errors.Count > 0
            ? SampleErrors.Invalid(context, errors)
            : InboxResults.Accept(new FireWebhookEvent(request.SubscriptionId!, request.EventType!, payload.GetRawText()));
    }
}
