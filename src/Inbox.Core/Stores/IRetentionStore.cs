namespace Inbox.Stores;

/// <summary>Deletes expired rows for the retention sweeper.</summary>
public interface IRetentionStore
{
    /// <summary>
    /// Deletes up to <paramref name="batchSize"/> operations, in any state, that expired at or before
    /// <paramref name="now"/>. Rows locked by another transaction are skipped, never waited for.
    /// </summary>
    /// <returns>The number of rows deleted; less than <paramref name="batchSize"/> when the backlog is done.</returns>
    ValueTask<int> DeleteExpiredOperationsAsync(DateTimeOffset now, int batchSize, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes up to <paramref name="batchSize"/> consumer inbox entries, in any state, that expired at or before
    /// <paramref name="now"/>, skipping rows locked by another transaction.
    /// </summary>
    /// <returns>The number of rows deleted.</returns>
    ValueTask<int> DeleteExpiredInboxEntriesAsync(DateTimeOffset now, int batchSize, CancellationToken cancellationToken);
}
