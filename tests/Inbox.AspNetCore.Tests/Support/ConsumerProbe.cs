using System.Collections.Concurrent;
using Inbox.MassTransit;

namespace Inbox.AspNetCore.Tests.Support;

/// <summary>What <see cref="FailingClaimConsumer"/> saw: each run's delivery, and whether it should fail.</summary>
public sealed class ConsumerProbe
{
    private readonly ConcurrentQueue<InboxDelivery> _runs = new();

    public volatile bool Fail = true;

    public IReadOnlyList<InboxDelivery> Runs => _runs.ToArray();

    public int Ran(InboxDelivery delivery)
    {
        _runs.Enqueue(delivery);
        return _runs.Count;
    }
}
