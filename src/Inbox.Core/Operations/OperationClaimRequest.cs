namespace Inbox.Operations;

/// <summary>
/// What a synchronous request asks for when it claims its operation before its handler runs: the operation row is
/// the claim, keyed by scope and idempotency key like an acceptance, and held by a claim token as a consumer's inbox
/// entry is.
/// </summary>
public sealed class OperationClaimRequest
{
    /// <summary>The id the operation gets if this request creates it (see <see cref="RandomIds.NewOperationId"/>).</summary>
    public required string Id { get; init; }

    /// <summary>The tenant and endpoint the key belongs to.</summary>
    public required OperationScope Scope { get; init; }

    /// <summary>The idempotency key, or <see langword="null"/> for a request sent without one (it always creates).</summary>
    public string? IdempotencyKey { get; init; }

    /// <summary>The request fingerprint: an unfinished operation is taken over only by a request with the same one.</summary>
    public required byte[] Fingerprint { get; init; }

    /// <summary>The request id of the claiming request.</summary>
    public required string RequestId { get; init; }

    /// <summary>This attempt's token: completing or releasing the claim needs it.</summary>
    public required string ClaimToken { get; init; }

    /// <summary>The claimer's clock, in whole milliseconds.</summary>
    public required DateTimeOffset Now { get; init; }

    /// <summary>When the key and the operation expire.</summary>
    public required DateTimeOffset ExpiresAt { get; init; }

    /// <summary>An unfinished operation whose lease expired before this instant may be taken over.</summary>
    public required DateTimeOffset TakeoverBefore { get; init; }

    /// <summary>
    /// The lease of a leased claim, which commits at once; <see langword="null"/> for a claim inside the caller's
    /// transaction, which its row lock holds until the commit.
    /// </summary>
    public DateTimeOffset? LeaseExpiresAt { get; init; }
}
