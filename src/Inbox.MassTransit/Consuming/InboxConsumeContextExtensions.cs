using Inbox.MassTransit;
using Inbox.MassTransit.Consuming;

namespace MassTransit;

/// <summary>The consumer's side of the idempotent inbox.</summary>
public static class InboxConsumeContextExtensions
{
    /// <summary>
    /// Records the consumer's result: it is stored with the inbox entry and becomes the operation's
    /// <c>result</c> on the status endpoint when the outcome commits. The last call wins.
    /// </summary>
    public static void SetOperationResult<T>(this ConsumeContext context, T result) => State(context).SetResult(result);

    /// <summary>
    /// The stable key to send downstream for <paramref name="effect"/> (e.g. as <c>webhook-id</c> or
    /// <c>Idempotency-Key</c>): the same on every attempt and every redelivery of this message to this consumer, and
    /// different for every other effect name, message or consumer.
    /// </summary>
    public static string GetDownstreamKey(this ConsumeContext context, string effect)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(effect);
        return State(context).DownstreamKey(effect);
    }

    /// <summary>What the inbox knows about this delivery.</summary>
    public static InboxDelivery GetInboxDelivery(this ConsumeContext context)
    {
        var state = State(context);
        return new InboxDelivery(state.Mode, state.Identity.OperationId, state.Attempt, state.IsTakeover);
    }

    private static InboxConsumeState State(ConsumeContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.TryGetPayload<InboxConsumeState>(out var state)
            ? state
            : throw new InvalidOperationException(
                "This consumer does not run behind the idempotent inbox: configure cfg.UseIdempotentInbox(context) on its bus or endpoint.");
    }
}
