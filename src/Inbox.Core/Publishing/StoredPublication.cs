using Inbox.Operations;

namespace Inbox.Publishing;

/// <summary>An accepted operation as stored for the relay: its identity and its message as JSON.</summary>
public sealed class StoredPublication
{
    /// <summary>The operation id.</summary>
    public required string OperationId { get; init; }

    /// <summary>The key's scope.</summary>
    public required OperationScope Scope { get; init; }

    /// <summary>The idempotency key, or <see langword="null"/> when the request had none.</summary>
    public string? IdempotencyKey { get; init; }

    /// <summary>When the operation expires.</summary>
    public required DateTimeOffset ExpiresAt { get; init; }

    /// <summary>The stored message type name (see <see cref="MessageTypeNames"/>).</summary>
    public required string MessageType { get; init; }

    /// <summary>The message as JSON (see <see cref="MessageSerializer"/>).</summary>
    public required ReadOnlyMemory<byte> MessageBody { get; init; }

    /// <summary>How many times the relay has claimed the operation to publish it again, this claim included.</summary>
    public int RelayAttempts { get; init; }

    /// <summary>
    /// The publication to send again: this identity, and the stored message read back as <paramref name="messageType"/>
    /// (the type <see cref="MessageTypeNames.Resolve"/> finds for <see cref="MessageType"/>).
    /// </summary>
    public OperationPublication ToPublication(Type messageType)
    {
        ArgumentNullException.ThrowIfNull(messageType);
        return new OperationPublication
        {
            OperationId = OperationId,
            Scope = Scope,
            IdempotencyKey = IdempotencyKey,
            ExpiresAt = ExpiresAt,
            MessageType = messageType,
            Message = MessageSerializer.Deserialize(MessageBody.Span, messageType),
        };
    }
}
