namespace Inbox.MassTransit;

/// <summary>What the inbox knows about the delivery a consumer is handling.</summary>
/// <param name="Mode">The consumer's inbox mode.</param>
/// <param name="OperationId">The operation the message belongs to, or <see langword="null"/> when it did not come through the HTTP side.</param>
/// <param name="Attempt">How many deliveries have claimed this message for this consumer, this one included.</param>
/// <param name="IsTakeover">Whether this delivery took over an expired lease: the previous one may have performed the effect.</param>
public sealed record InboxDelivery(InboxMode Mode, string? OperationId, int Attempt, bool IsTakeover);
