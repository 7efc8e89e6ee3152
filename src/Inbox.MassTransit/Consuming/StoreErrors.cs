using Inbox.Stores;

namespace Inbox.MassTransit.Consuming;

/// <summary>
/// Which consumer errors are the store's, not the operation's: those the store's <see cref="IStoreErrorClassifier"/>
/// calls transient, and <see cref="InboxStoreUnavailableException"/> from any store. Never a cancellation.
/// </summary>
internal sealed class StoreErrors(IStoreErrorClassifier? classifier)
{
    public bool IsTransient(Exception exception) =>
        exception is not OperationCanceledException &&
        (exception is InboxStoreUnavailableException || classifier?.IsTransient(exception) == true);
}
