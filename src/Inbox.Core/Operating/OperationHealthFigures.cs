namespace Inbox.Operating;

/// <summary>What the health check reads from the store: how far behind the relay is, and how many operations failed lately.</summary>
/// <param name="OldestAcceptedAt">
/// When the oldest operation that is still <c>accepted</c> (no consumer has taken it) was accepted, or
/// <see langword="null"/> when no operation is accepted.
/// </param>
/// <param name="FailedCount">How many operations failed since the time the store was asked about.</param>
public sealed record OperationHealthFigures(DateTimeOffset? OldestAcceptedAt, long FailedCount);
