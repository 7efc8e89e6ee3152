namespace Inbox.Operating;

/// <summary>One page of the operations list.</summary>
/// <param name="Items">The operations, newest first.</param>
/// <param name="Next">Where the next page starts, or <see langword="null"/> when this page is the last.</param>
public sealed record OperationPage(IReadOnlyList<OperationSummary> Items, OperationCursor? Next);
