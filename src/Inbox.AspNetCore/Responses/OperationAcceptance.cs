namespace Inbox.AspNetCore;

/// <summary>What an acceptance body says.</summary>
/// <param name="OperationId">The operation id.</param>
/// <param name="StatusUrl">The status endpoint of the operation.</param>
/// <param name="RequestId">The request id of the accepting request.</param>
public sealed record OperationAcceptance(string OperationId, string StatusUrl, string RequestId);
