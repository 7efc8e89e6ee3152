using Inbox.Publishing;
using Inbox.Stores;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Inbox.Background;

/// <summary>
/// Publishes again the operations that are still <c>accepted</c> after the relay delay: the operation row is
/// the outbox, so a crash or a broker outage between commit and publish loses nothing. Each republish of an
/// operation doubles the wait before its next one, up to <see cref="InboxStoreOptions.RelayMaxDelay"/>, and the
/// one that reaches <see cref="InboxStoreOptions.RelayStalledThreshold"/> warns and counts.
/// </summary>
internal sealed class OperationRelay(
    IServiceScopeFactory scopes,
    TimeProvider time,
    IOptions<InboxStoreOptions> options,
    StoreMetrics metrics,
    ILogger<OperationRelay> logger)
{
    /// <summary>Claims one batch of due operations and publishes them; returns how many were claimed.</summary>
    public async Task<int> RelayDueAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var scope = scopes.CreateAsyncScope();
        await using var scopeLease = scope.ConfigureAwait(false);
        var store = scope.ServiceProvider.GetRequiredService<IOperationRelayStore>();
        var publisher = scope.ServiceProvider.GetRequiredService<IOperationPublisher>();

        var now = time.GetUtcNow();
        var due = await store.ClaimDueAsync(now, new RelayBackoff(settings.RelayDelay, settings.RelayMaxDelay), settings.RelayBatchSize, cancellationToken).ConfigureAwait(false);
        var published = 0;
        foreach (var stored in due)
        {
            // Attempts grow by one per claim, so exactly one claim of an operation meets the threshold.
            if (stored.RelayAttempts == settings.RelayStalledThreshold)
            {
                Log.RelayStalled(logger, stored.OperationId, stored.RelayAttempts);
                metrics.RelayStalled();
            }

            var type = MessageTypeNames.Resolve(stored.MessageType);
            if (type is null)
            {
                Log.RelayTypeMissing(logger, stored.OperationId, stored.MessageType);
                continue;
            }

            try
            {
                await publisher.PublishAsync(stored.ToPublication(type), cancellationToken).ConfigureAwait(false);
                published++;
            }
            catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
            {
                Log.RelayPublishFailed(logger, stored.OperationId, exception);
            }
        }

        if (published > 0)
        {
            metrics.Relayed(published);
            Log.Relayed(logger, published);
        }

        return due.Count;
    }
}
