using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Inbox.Background;

/// <summary>Runs the relay and the sweeper on their intervals, on the application's clock.</summary>
internal sealed class InboxBackgroundService(
    OperationRelay relay,
    RetentionSweeper sweeper,
    TimeProvider time,
    IOptions<InboxStoreOptions> options,
    ILogger<InboxBackgroundService> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        var loops = new List<Task>(2);
        if (settings.EnableRelay)
        {
            loops.Add(RunAsync(settings.RelayPollInterval, RelayAllDueAsync, ex => Log.RelayPassFailed(logger, ex), stoppingToken));
        }

        if (settings.EnableSweeper)
        {
            loops.Add(RunAsync(settings.SweepInterval, sweeper.SweepAsync, ex => Log.SweepFailed(logger, ex), stoppingToken));
        }

        return Task.WhenAll(loops);
    }

    private async Task<int> RelayAllDueAsync(CancellationToken cancellationToken)
    {
        var batchSize = options.Value.RelayBatchSize;
        var total = 0;
        int claimed;
        do
        {
            claimed = await relay.RelayDueAsync(cancellationToken).ConfigureAwait(false);
            total += claimed;
        }
        while (claimed == batchSize);

        return total;
    }

    private async Task RunAsync(
        TimeSpan interval, Func<CancellationToken, Task<int>> pass, Action<Exception> onError, CancellationToken stoppingToken)
    {
        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await pass(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                onError(exception);
            }

            try
            {
                await Task.Delay(interval, time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
