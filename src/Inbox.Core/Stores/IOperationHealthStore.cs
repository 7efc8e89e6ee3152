using Inbox.Operating;

namespace Inbox.Stores;

/// <summary>
/// Reads the figures of the Inbox health check (<c>AddInboxHealthChecks</c>) in one query over every tenant's
/// operations. Rows are read as they are, expired ones included until the sweeper removes them.
/// </summary>
public interface IOperationHealthStore
{
    /// <summary>
    /// Finds when the oldest operation still <c>accepted</c> was accepted, and counts the operations that failed
    /// (their status last changed to failed) at or after <paramref name="failedSince"/>.
    /// </summary>
    /// <param name="failedSince">The start of the failure window.</param>
    /// <param name="cancellationToken">Cancels the read; then <see cref="OperationCanceledException"/> is thrown.</param>
    /// <exception cref="InboxStoreUnavailableException">The store could not be reached or did not answer.</exception>
    ValueTask<OperationHealthFigures> ReadHealthAsync(DateTimeOffset failedSince, CancellationToken cancellationToken);
}
