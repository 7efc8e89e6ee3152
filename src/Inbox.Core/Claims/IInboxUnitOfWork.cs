namespace Inbox.Claims;

/// <summary>
/// Runs a handler whose effects are writes through the application's data context, inside the claim's transaction:
/// the claim, the handler's writes and the outcome commit together, or nothing does. Implemented by a store package
/// (the EF Core one binds it to the application's <c>DbContext</c>) and resolved per message from the handler's scope.
/// </summary>
public interface IInboxUnitOfWork
{
    /// <summary>
    /// Claims the message first, then runs the handler and records its outcome, in one transaction. A message that
    /// already ran is a duplicate and the handler does not run.
    /// </summary>
    Task<InboxAttemptResult> RunTransactionalAsync(InboxAttempt attempt, CancellationToken cancellationToken);

    /// <summary>
    /// Runs the handler first, with its own saves refused, then saves what it left tracked with a fresh claim and the
    /// outcome, in one atomic step where the store can (one batch on PostgreSQL), else the transactional way. A
    /// duplicate's changes are discarded. The handler gets a provisional fresh claim (attempt 1).
    /// </summary>
    Task<InboxAttemptResult> RunSavedByInboxAsync(InboxAttempt attempt, CancellationToken cancellationToken);
}
