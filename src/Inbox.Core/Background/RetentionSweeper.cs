using Inbox.Stores;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Inbox.Background;

/// <summary>Deletes expired rows in batches, skipping rows other transactions hold.</summary>
internal sealed class RetentionSweeper(
    IServiceScopeFactory scopes,
    TimeProvider time,
    IOptions<InboxStoreOptions> options,
    StoreMetrics metrics,
    ILogger<RetentionSweeper> logger)
{
    /// <summary>Deletes every row expired by now from both tables, one batch per statement; returns how many were deleted.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var total = await SweepTableAsync("operations", (store, size) => store.DeleteExpiredOperationsAsync(now, size, cancellationToken), cancellationToken).ConfigureAwait(false);
        total += await SweepTableAsync("inbox_entries", (store, size) => store.DeleteExpiredInboxEntriesAsync(now, size, cancellationToken), cancellationToken).ConfigureAwait(false);
        if (total > 0)
        {
            Log.Swept(logger, total);
        }

        return total;
    }

    private static readonly TimeSpan MaxPause = TimeSpan.FromSeconds(1);

    private async Task<int> SweepTableAsync(string table, Func<IRetentionStore, int, ValueTask<int>> deleteBatch, CancellationToken cancellationToken)
    {
        var batchSize = options.Value.SweepBatchSize;
        var total = 0;
        while (true)
        {
            var started = time.GetTimestamp();
            var scope = scopes.CreateAsyncScope();
            await using var scopeLease = scope.ConfigureAwait(false);
            var deleted = await deleteBatch(scope.ServiceProvider.GetRequiredService<IRetentionStore>(), batchSize).ConfigureAwait(false);
            metrics.Swept(table, deleted);
            total += deleted;
            if (deleted < batchSize)
            {
                return total;
            }

            // A backlog: rest between batches so the sweeper takes only its share of the database's time and the
            // accept and consume paths keep their latency.
            var share = options.Value.SweepLoadShare;
            var pause = time.GetElapsedTime(started) * ((1 - share) / share);
            await Task.Delay(pause < MaxPause ? pause : MaxPause, time, cancellationToken).ConfigureAwait(false);
        }
    }
}
