using System.Diagnostics;
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
/// <remarks>
/// The queue drains in <see cref="StoppingAsync"/>, which the host runs for every service before it stops any of them,
/// so the bus is still running while it drains.
/// </remarks>
internal sealed class AcceptancePublisher(
    IServiceScopeFactory scopes,
    IOptions<IdempotencyOptions> options,
    TimeProvider time,
    IHostApplicationLifetime lifetime,
    HttpMetrics metrics,
    ILogger<AcceptancePublisher> logger) : IHostedLifecycleService, IDisposable
{
    /// <summary>Queued publishes beyond which a request publishes inline again, so the queue cannot grow without bound.</summary>
    internal const int QueueCapacity = 4096;

    /// <summary>Publishes in flight at once: each waits for the broker's confirm, so one at a time would cap the rate.</summary>
    internal const int ConcurrentPublishes = 32;

    private readonly Channel<Queued> _queue = Channel.CreateBounded<Queued>(
        new BoundedChannelOptions(QueueCapacity) { FullMode = BoundedChannelFullMode.Wait });

    private readonly CancellationTokenSource _abandon = new();
    private CancellationTokenRegistration _onStopping;
    private Task _draining = Task.CompletedTask;
    private bool _running;
    private int _inFlight;

    /// <summary>
    /// Hands the publish to the background publishers, if the timing is <see cref="PublishTiming.AfterResponse"/>, they
    /// run, and the queue has room; otherwise the caller publishes inline with <see cref="PublishAsync"/>.
    /// </summary>
    public bool TryDispatch(OperationPublication publication) =>
        Volatile.Read(ref _running) && _queue.Writer.TryWrite(new Queued(publication, Activity.Current?.Context ?? default));

    /// <summary>
    /// Publishes now, with the publisher <paramref name="services"/> resolve. The request's own abort does not cancel it
    /// (the operation is stored); <see cref="IdempotencyOptions.PublishTimeout"/> does, and so does a shutdown out of
    /// time. A failure, a missing publisher included, is counted and logged, never thrown.
    /// </summary>
    public async Task PublishAsync(IServiceProvider services, OperationPublication publication)
    {
        using var timeout = new CancellationTokenSource(options.Value.PublishTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, _abandon.Token);
        try
        {
            await services.GetRequiredService<IOperationPublisher>().PublishAsync(publication, linked.Token).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            metrics.PublishFailed(publication.Scope.Endpoint);
            Log.PublishFailed(logger, publication.OperationId, exception);
        }
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Value.PublishTiming != PublishTiming.AfterResponse)
        {
            return Task.CompletedTask;
        }

        // From the first sign of shutdown, new acceptances publish inline, while the queue drains beside them.
        _onStopping = lifetime.ApplicationStopping.Register(CloseQueue);
        Volatile.Write(ref _running, true);
        _draining = Task.WhenAll(Enumerable.Range(0, ConcurrentPublishes).Select(_ => Task.Run(DrainAsync, CancellationToken.None)));
        return Task.CompletedTask;
    }

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        CloseQueue();
        try
        {
            await _draining.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Out of shutdown time: what is still queued or in flight stays accepted in the store, and the relay publishes it.
            Log.PublishesLeftToRelay(logger, _queue.Reader.Count + Volatile.Read(ref _inFlight));
            await _abandon.CancelAsync().ConfigureAwait(false);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose()
    {
        CloseQueue();
        _abandon.Cancel();
        _onStopping.Dispose();
    }

    private void CloseQueue()
    {
        Volatile.Write(ref _running, false);
        _queue.Writer.TryComplete();
    }

    private async Task DrainAsync()
    {
        using var scope = scopes.CreateScope();
        var abandon = _abandon.Token;
        try
        {
            while (await _queue.Reader.WaitToReadAsync(abandon).ConfigureAwait(false))
            {
                while (!abandon.IsCancellationRequested && _queue.Reader.TryRead(out var queued))
                {
                    Interlocked.Increment(ref _inFlight);
                    try
                    {
                        // The request's trace goes on with its message, as it does when the request publishes itself.
                        using var activity = queued.Parent == default ? null : new Activity("inbox.publish").SetParentId(
                            queued.Parent.TraceId, queued.Parent.SpanId, queued.Parent.TraceFlags).Start();
                        await PublishAsync(scope.ServiceProvider, queued.Publication).ConfigureAwait(false);
                    }
                    finally
                    {
                        Interlocked.Decrement(ref _inFlight);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (abandon.IsCancellationRequested)
        {
            // Abandoned at shutdown: StoppingAsync counted what is left for the relay.
        }
    }

    private readonly record struct Queued(OperationPublication Publication, ActivityContext Parent);
}
