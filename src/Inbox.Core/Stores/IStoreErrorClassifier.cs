namespace Inbox.Stores;

/// <summary>
/// Tells an error of a store that cannot answer for now (a failover, a restart, a lost connection, a conflict between
/// transactions) apart from every other error, such as a defect in a statement or in the consumer. The consume side
/// retries the first kind with <c>StoreRetry</c>, longer than a handler's retry, and never records it as the
/// operation's failure: a failover is not the operation's fault. A store registers one; without one, only
/// <see cref="InboxStoreUnavailableException"/> counts.
/// </summary>
public interface IStoreErrorClassifier
{
    /// <summary>
    /// Whether <paramref name="exception"/>, or an exception it wraps, says the store could not answer for now, so the
    /// same work can succeed when retried. A cancellation is not.
    /// </summary>
    bool IsTransient(Exception exception);
}
