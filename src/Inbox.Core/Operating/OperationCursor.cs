namespace Inbox.Operating;

/// <summary>
/// Where a page of the operations list ended: the last operation's creation time and id. The list is ordered newest
/// first by (created at, id), so the next page starts strictly after this pair and rows inserted meanwhile (newer ones)
/// never shift it.
/// </summary>
/// <param name="CreatedAt">The last listed operation's creation time.</param>
/// <param name="Id">The last listed operation's id, which breaks ties between operations created at the same instant.</param>
public sealed record OperationCursor(DateTimeOffset CreatedAt, string Id);
