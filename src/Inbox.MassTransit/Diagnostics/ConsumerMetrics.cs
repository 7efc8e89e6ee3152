using System.Diagnostics.Metrics;
using Inbox.Diagnostics;

namespace Inbox.MassTransit.Diagnostics;

internal sealed class ConsumerMetrics
{
    private readonly Counter<long> _consumed;
    private readonly Counter<long> _duplicates;
    private readonly Counter<long> _deferred;
    private readonly Counter<long> _takeovers;
    private readonly Counter<long> _failures;

    public ConsumerMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(InboxDiagnostics.Name);
        _consumed = meter.CreateCounter<long>(InboxDiagnostics.MessagesConsumed, "{message}", "Messages a consumer ran and committed.");
        _duplicates = meter.CreateCounter<long>(InboxDiagnostics.DuplicatesSkipped, "{message}", "Redeliveries and duplicate publishes skipped by the inbox.");
        _deferred = meter.CreateCounter<long>(InboxDiagnostics.DeliveriesDeferred, "{message}", "Deliveries that waited on another delivery's live lease.");
        _takeovers = meter.CreateCounter<long>(InboxDiagnostics.LeaseTakeovers, "{message}", "Expired leases taken over.");
        _failures = meter.CreateCounter<long>(InboxDiagnostics.FailuresRecorded, "{message}", "Messages whose retries were exhausted, recorded as failed.");
    }

    public void Consumed(string consumer) => _consumed.Add(1, Tag(consumer));

    public void DuplicateSkipped(string consumer) => _duplicates.Add(1, Tag(consumer));

    public void Deferred(string consumer) => _deferred.Add(1, Tag(consumer));

    public void TakenOver(string consumer) => _takeovers.Add(1, Tag(consumer));

    public void FailureRecorded(string consumer) => _failures.Add(1, Tag(consumer));

    private static KeyValuePair<string, object?> Tag(string consumer) => new("inbox.consumer", consumer);
}
