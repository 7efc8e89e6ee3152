using Inbox.Operations;

namespace Inbox.Operating;

/// <summary>How many operations of one endpoint are in one status.</summary>
/// <param name="Endpoint">The endpoint (method and route pattern).</param>
/// <param name="Status">The status.</param>
/// <param name="Count">How many operations.</param>
public sealed record OperationCount(string Endpoint, OperationStatus Status, long Count);
