namespace Inbox.MassTransit;

/// <summary>Chooses how a consumer runs behind the idempotent inbox.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = true)]
public sealed class IdempotentConsumerAttribute(InboxMode mode) : Attribute
{
    /// <summary>The inbox mode.</summary>
    public InboxMode Mode { get; } = mode;

    /// <summary>
    /// The consumer's inbox name; defaults to the consumer type's full name. Keep it stable: it is part of every
    /// inbox entry's key.
    /// </summary>
    public string? Name { get; set; }

    /// <summary>
    /// Whether this consumer completes the operation the message belongs to (its status and result). Default:
    /// <see langword="true"/>. Set it to <see langword="false"/> on every other consumer of the same message.
    /// </summary>
    public bool CompletesOperation { get; set; } = true;
}
