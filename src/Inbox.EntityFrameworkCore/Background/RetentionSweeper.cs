using Inbox.Stores;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Inbox.EntityFrameworkCore.Background;

/// <summary>Deletes expired rows in batches, skipping rows other transactions hold.</summary>
internal sealed class RetentionSweeper(
    IServiceScopeFactory scopes,
    TimeProvider time,
    IOptions<InboxStoreOptions> options,
    StoreMetrics metrics,
    ILogger<RetentionSweeper> logger)
{
    /// <summary>Deletes every row expired by now, one batch per statement; returns how many were deleted.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var batchSize = options.Value.SweepBatchSize;
        var now = time.GetUtcNow();
        var total = 0;
        int deleted;
        do
        {
            var scope = scopes.CreateAsyncScope();
        await using var scopeLease = scope.ConfigureAwait(false);
            var store = scope.ServiceProvider.GetRequiredService<IRetentionStore>();
            deleted = await store.DeleteExpiredOperationsAsync(now, batchSize, cancellationToken).ConfigureAwait(false);
            metrics.Swept("operations", deleted);
            total += deleted;
        }
        while (deleted == batchSize);

        if (total > 0)
        {
            Log.Swept(logger, total);
        }

        return total;
    }
}
