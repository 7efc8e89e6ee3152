namespace Inbox.Operations;

/// <summary>An operation about to be accepted: everything its row holds when first stored.</summary>
public sealed class NewOperation
{
    /// <summary>The new operation's id (see <see cref="RandomIds.NewOperationId"/>).</summary>
    public required string Id { get; init; }

    /// <summary>The tenant and endpoint the key belongs to.</summary>
    public required OperationScope Scope { get; init; }

    /// <summary>The idempotency key, or <see langword="null"/> for a request sent without one.</summary>
    public string? IdempotencyKey { get; init; }

    /// <summary>The request fingerprint (see <see cref="Fingerprints.RequestFingerprint"/>).</summary>
    public required byte[] Fingerprint { get; init; }

    /// <summary>The request id of the accepting request, replayed with the acceptance.</summary>
    public required string RequestId { get; init; }

    /// <summary>The acceptance response to store and replay.</summary>
    public required StoredResponse Response { get; init; }

    /// <summary>The message type name (see <see cref="Publishing.MessageTypeNames"/>).</summary>
    public required string MessageType { get; init; }

    /// <summary>The message as JSON (see <see cref="Publishing.MessageSerializer"/>), kept so the relay can publish it again.</summary>
    public required ReadOnlyMemory<byte> MessageBody { get; init; }

    /// <summary>When the operation is accepted.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When the key and the operation expire; after this the key makes a new operation.</summary>
    public required DateTimeOffset ExpiresAt { get; init; }
}
