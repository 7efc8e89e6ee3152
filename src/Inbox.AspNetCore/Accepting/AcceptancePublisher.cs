using System.Threading.Channels;
using Inbox.AspNetCore.Diagnostics;
using Inbox.Publishing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Inbox.AspNetCore.Accepting;

/// <summary>
/// Publishes first acceptances: inline, before the 202 (<see cref="PublishTiming.BeforeResponse"/>), or through a
/// bounded in-process queue drained by background publishers (<see cref="PublishTiming.AfterResponse"/>). A publish
/// that fails or never happens is not lost: the operation row is the outbox, and the relay republishes it.
/// </summary>
internal sealed class AcceptancePublisher(
    IServiceScopeFactory scopes,
    IOptions<IdempotencyOptions> options,
    TimeProvider time,
    IHostApplicationLifetime lifetime,
    HttpMetrics metrics,
    ILogger<AcceptancePublisher> logger) : IHostedService, IDisposable
{
    /// <summary>Queued publishes beyond which a request publishes inline again, so the queue cannot grow without bound.</summary>
    internal const int QueueCapacity = 4096;

    /// <summary>Publishes in flight at once: each waits for the broker's confirm, so one at a time would cap the rate.</summary>
    internal const int ConcurrentPublishes = 32;

    private readonly Channel<OperationPublication> _queue = Channel.CreateBounded<OperationPublication>(
        new BoundedChannelOptions(QueueCapacity) { FullMode = BoundedChannelFullMode.Wait });

    private readonly CancellationTokenSource _abandon = new();
    private CancellationTokenRegistration _onStopping;
    private Task _draining = Task.CompletedTask;
    private bool _running;

    /// <summary>
    /// Hands the publish to the background publishers, if the timing is <see cref="PublishTiming.AfterResponse"/>, they
    /// run, and the queue has room; otherwise the caller publishes inline with <see cref="PublishAsync"/>.
    /// </summary>
    public bool TryDispatch(OperationPublication publication) =>
        Volatile.Read(ref _running) && _queue.Writer.TryWrite(publication);

    /// <summary>
    /// Publishes now. The request's own abort does not cancel it (the operation is stored); shutdown and
    /// <see cref="IdempotencyOptions.PublishTimeout"/> do. A failure is counted and logged, never thrown.
    /// </summary>
    public async Task PublishAsync(IOperationPublisher publisher, OperationPublication publication, CancellationToken stopping)
    {
        using var timeout = new CancellationTokenSource(options.Value.PublishTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, stopping);
        try
        {
            await publisher.PublishAsync(publication, linked.Token).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            metrics.PublishFailed(publication.Scope.Endpoint);
            Log.PublishFailed(logger, publication.OperationId, exception);
        }
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Value.PublishTiming != PublishTiming.AfterResponse)
        {
            return Task.CompletedTask;
        }

        // From the first sign of shutdown, new acceptances publish inline, while the queue drains beside them.
        _onStopping = lifetime.ApplicationStopping.Register(() =>
        {
            Volatile.Write(ref _running, false);
            _queue.Writer.TryComplete();
        });
        Volatile.Write(ref _running, true);
        _draining = Task.WhenAll(Enumerable.Range(0, ConcurrentPublishes).Select(_ => Task.Run(DrainAsync, CancellationToken.None)));
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        Volatile.Write(ref _running, false);
        _queue.Writer.TryComplete();
        try
        {
            await _draining.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Out of shutdown time: what is still queued stays accepted in the store, and the relay publishes it.
            await _abandon.CancelAsync().ConfigureAwait(false);
            Log.PublishesLeftToRelay(logger, _queue.Reader.Count);
        }
    }

    public void Dispose()
    {
        _onStopping.Dispose();
        _abandon.Dispose();
    }

    private async Task DrainAsync()
    {
        using var scope = scopes.CreateScope();
        var publisher = scope.ServiceProvider.GetRequiredService<IOperationPublisher>();
        var abandon = _abandon.Token;
        try
        {
            while (await _queue.Reader.WaitToReadAsync(abandon).ConfigureAwait(false))
            {
                while (!abandon.IsCancellationRequested && _queue.Reader.TryRead(out var publication))
                {
                    await PublishAsync(publisher, publication, abandon).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (abandon.IsCancellationRequested)
        {
            // Abandoned at shutdown: StopAsync counts what is left for the relay.
        }
    }
}
