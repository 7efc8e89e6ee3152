using System.Diagnostics.Metrics;
using Inbox.Diagnostics;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace Inbox.MassTransit.Tests.Support;

/// <summary>The inbox counters of one host, read through the metrics API as an operator would.</summary>
public sealed class HostMetrics : IDisposable
{
    private readonly MetricCollector<long> _consumed;
    private readonly MetricCollector<long> _duplicates;
    private readonly MetricCollector<long> _deferred;
    private readonly MetricCollector<long> _takeovers;
    private readonly MetricCollector<long> _failures;

    public HostMetrics(IMeterFactory meters)
    {
        _consumed = new(meters, InboxDiagnostics.Name, InboxDiagnostics.MessagesConsumed);
        _duplicates = new(meters, InboxDiagnostics.Name, InboxDiagnostics.DuplicatesSkipped);
        _deferred = new(meters, InboxDiagnostics.Name, InboxDiagnostics.DeliveriesDeferred);
        _takeovers = new(meters, InboxDiagnostics.Name, InboxDiagnostics.LeaseTakeovers);
        _failures = new(meters, InboxDiagnostics.Name, InboxDiagnostics.FailuresRecorded);
    }

    public int Consumed => Sum(_consumed);

    public int DuplicatesSkipped => Sum(_duplicates);

    public int Deferred => Sum(_deferred);

    public int Takeovers => Sum(_takeovers);

    public int FailuresRecorded => Sum(_failures);

    private static int Sum(MetricCollector<long> collector) => (int)collector.GetMeasurementSnapshot().EvaluateAsCounter();

    public void Dispose()
    {
        _consumed.Dispose();
        _duplicates.Dispose();
        _deferred.Dispose();
        _takeovers.Dispose();
        _failures.Dispose();
    }
}
