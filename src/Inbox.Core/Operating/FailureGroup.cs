namespace Inbox.Operating;

/// <summary>The failed operations of one endpoint that share an error code, with the newest of them.</summary>
/// <param name="ErrorCode">The error code they failed with.</param>
/// <param name="Endpoint">The endpoint (method and route pattern).</param>
/// <param name="Count">How many failed operations the group holds.</param>
/// <param name="Newest">The group's most recently failed operation (latest <see cref="OperationSummary.UpdatedAt"/>).</param>
public sealed record FailureGroup(string ErrorCode, string Endpoint, long Count, OperationSummary Newest);
