namespace Inbox.Operations;

/// <summary>What the store found when asked to accept an operation.</summary>
public enum AcceptOutcomeKind
{
    /// <summary>The new operation was stored (committed); it must now be published.</summary>
    Created,

    /// <summary>A live operation with the same scope and key exists; compare fingerprints to replay or reject.</summary>
    Existing,
}

/// <summary>The result of <see cref="Stores.IOperationStore.AcceptAsync"/>.</summary>
/// <param name="Kind">Whether the operation was created or an existing one was found.</param>
/// <param name="OperationId">The id of the created or existing operation.</param>
/// <param name="Fingerprint">The stored fingerprint (the new one when created).</param>
/// <param name="Response">The stored acceptance response.</param>
public sealed record AcceptOutcome(AcceptOutcomeKind Kind, string OperationId, byte[] Fingerprint, StoredResponse Response);
