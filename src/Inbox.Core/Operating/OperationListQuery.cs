using Inbox.Operations;

namespace Inbox.Operating;

/// <summary>A filtered page of operations for the operations console. Every filter left <see langword="null"/> matches all.</summary>
public sealed record OperationListQuery
{
    /// <summary>
    /// The tenant whose operations are listed; <see langword="null"/> lists every tenant's and is only for an operator
    /// allowed to see all tenants.
    /// </summary>
    public required string? Tenant { get; init; }

    /// <summary>Only operations in this status.</summary>
    public OperationStatus? Status { get; init; }

    /// <summary>Only operations of this endpoint (method and route pattern, e.g. <c>POST /claims</c>).</summary>
    public string? Endpoint { get; init; }

    /// <summary>Only the operation accepted under this idempotency key.</summary>
    public string? IdempotencyKey { get; init; }

    /// <summary>Only operations created at or after this instant.</summary>
    public DateTimeOffset? CreatedFrom { get; init; }

    /// <summary>Only operations created before this instant.</summary>
    public DateTimeOffset? CreatedBefore { get; init; }

    /// <summary>Start after this operation (the previous page's <see cref="OperationPage.Next"/>); <see langword="null"/> for the first page.</summary>
    public OperationCursor? After { get; init; }

    /// <summary>The most operations on the page.</summary>
    public required int Limit { get; init; }
}
