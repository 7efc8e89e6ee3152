using Inbox.Operations;

namespace Inbox.Publishing;

/// <summary>An accepted operation's message and the identity it is published with.</summary>
public sealed class OperationPublication
{
    /// <summary>The operation id (published as <see cref="OperationHeaders.OperationId"/>).</summary>
    public required string OperationId { get; init; }

    /// <summary>The scope (published as <see cref="OperationHeaders.Tenant"/> and <see cref="OperationHeaders.Endpoint"/>).</summary>
    public required OperationScope Scope { get; init; }

    /// <summary>The idempotency key, or <see langword="null"/> when the request had none.</summary>
    public string? IdempotencyKey { get; init; }

    /// <summary>When the operation expires (published as <see cref="OperationHeaders.ExpiresAt"/>), so consumers keep their inbox entry at least as long.</summary>
    public required DateTimeOffset ExpiresAt { get; init; }

    /// <summary>The message to publish.</summary>
    public required object Message { get; init; }

    /// <summary>The message type to publish it as.</summary>
    public required Type MessageType { get; init; }
}
