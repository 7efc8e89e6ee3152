using Inbox.Operations;

namespace Inbox.Operating;

/// <summary>One operation as the console lists it: no bodies, no fingerprint.</summary>
public sealed record OperationSummary
{
    /// <summary>The operation id.</summary>
    public required string Id { get; init; }

    /// <summary>The tenant of its scope (empty for a single-tenant application).</summary>
    public required string Tenant { get; init; }

    /// <summary>The endpoint of its scope.</summary>
    public required string Endpoint { get; init; }

    /// <summary>The idempotency key, or <see langword="null"/> for a request sent without one.</summary>
    public string? IdempotencyKey { get; init; }

    /// <summary>The current status.</summary>
    public required OperationStatus Status { get; init; }

    /// <summary>When it was accepted.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When its status last changed.</summary>
    public required DateTimeOffset UpdatedAt { get; init; }

    /// <summary>The error code once failed; otherwise <see langword="null"/>.</summary>
    public string? ErrorCode { get; init; }
}
