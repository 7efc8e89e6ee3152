using System.Collections.Concurrent;
using Inbox.Publishing;

namespace Inbox.AspNetCore.Tests.Support;

/// <summary>
/// Stands in for the broker (the MassTransit publisher is tested with a real RabbitMQ in its own suite). Records
/// every publish, can fail on demand, and can run a check at publish time (e.g. that the row is committed).
/// </summary>
public sealed class RecordingPublisher : IOperationPublisher
{
    private readonly ConcurrentQueue<OperationPublication> _published = new();
    private int _attempts;

    public IReadOnlyList<OperationPublication> Published => _published.ToArray();

    /// <summary>Every call, failed ones included.</summary>
    public int Attempts => Volatile.Read(ref _attempts);

    public bool Fail { get; set; }

    public Func<OperationPublication, Task>? OnPublish { get; set; }

    public async ValueTask PublishAsync(OperationPublication publication, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _attempts);
        if (OnPublish is { } check)
        {
            await check(publication);
        }

        if (Fail)
        {
            throw new InvalidOperationException("The broker is down (test).");
        }

        _published.Enqueue(publication);
    }
}
