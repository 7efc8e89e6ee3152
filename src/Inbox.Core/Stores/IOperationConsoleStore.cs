using Inbox.Operating;

namespace Inbox.Stores;

/// <summary>
/// Reads operations and inbox entries for the operations console. Every query takes the tenant it is scoped to;
/// <see langword="null"/> reads every tenant's rows and is only for an operator allowed to see all tenants. Rows
/// are read as they are, expired ones included until the sweeper removes them. When the store cannot be reached,
/// its methods throw <see cref="InboxStoreUnavailableException"/>.
/// </summary>
public interface IOperationConsoleStore
{
    /// <summary>Counts the operations of <paramref name="tenant"/> by endpoint and status, and finds each endpoint's oldest unfinished one.</summary>
    /// <exception cref="InboxStoreUnavailableException">The store could not be reached or did not answer.</exception>
    ValueTask<OperationCounts> CountAsync(string? tenant, CancellationToken cancellationToken);

    /// <summary>
    /// Lists the operations that match <paramref name="query"/>, newest first by (created at, id), at most
    /// <see cref="OperationListQuery.Limit"/> of them, starting after <see cref="OperationListQuery.After"/>.
    /// </summary>
    /// <exception cref="InboxStoreUnavailableException">The store could not be reached or did not answer.</exception>
    ValueTask<OperationPage> ListAsync(OperationListQuery query, CancellationToken cancellationToken);

    /// <summary>Reads one operation of <paramref name="tenant"/> and its inbox entries.</summary>
    /// <param name="tenant">The tenant, or <see langword="null"/> for any tenant.</param>
    /// <param name="operationId">The operation id.</param>
    /// <param name="includeBodies">Whether to read the stored response, the message and the result, which may hold personal data.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The operation, or <see langword="null"/> when no operation of <paramref name="tenant"/> has this id.</returns>
    /// <exception cref="InboxStoreUnavailableException">The store could not be reached or did not answer.</exception>
    ValueTask<OperationDetail?> FindAsync(string? tenant, string operationId, bool includeBodies, CancellationToken cancellationToken);

    /// <summary>
    /// Groups the failed operations of <paramref name="tenant"/> (of <paramref name="endpoint"/> only, unless
    /// <see langword="null"/>) by error code and endpoint, with each group's count and newest failure, newest group
    /// first, at most <paramref name="limit"/> groups.
    /// </summary>
    /// <exception cref="InboxStoreUnavailableException">The store could not be reached or did not answer.</exception>
    ValueTask<IReadOnlyList<FailureGroup>> ListFailuresAsync(string? tenant, string? endpoint, int limit, CancellationToken cancellationToken);
}
