namespace Inbox.Operating;

/// <summary>The console's overview: counts by endpoint and status, and each endpoint's oldest unfinished operation.</summary>
/// <param name="Counts">One row per endpoint and status that has operations; statuses without any are left out.</param>
/// <param name="Backlogs">One row per endpoint with unfinished operations.</param>
public sealed record OperationCounts(IReadOnlyList<OperationCount> Counts, IReadOnlyList<EndpointBacklog> Backlogs);
