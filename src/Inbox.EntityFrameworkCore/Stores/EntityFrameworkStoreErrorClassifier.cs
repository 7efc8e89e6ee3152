using Inbox.EntityFrameworkCore.Sql;
using Inbox.Stores;

namespace Inbox.EntityFrameworkCore.Stores;

/// <summary>The providers' transient errors, as <see cref="DatabaseErrors.IsTransient"/> reads them, and the stores' own unavailability.</summary>
internal sealed class EntityFrameworkStoreErrorClassifier : IStoreErrorClassifier
{
    public bool IsTransient(Exception exception) =>
        exception is InboxStoreUnavailableException ||
        (exception is not OperationCanceledException && DatabaseErrors.IsTransient(exception));
}
