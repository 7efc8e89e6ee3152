namespace Inbox.Operating;

/// <summary>The oldest unfinished (accepted or processing) operation of one endpoint.</summary>
/// <param name="Endpoint">The endpoint (method and route pattern).</param>
/// <param name="OldestCreatedAt">When its oldest unfinished operation was accepted.</param>
public sealed record EndpointBacklog(string Endpoint, DateTimeOffset OldestCreatedAt);
