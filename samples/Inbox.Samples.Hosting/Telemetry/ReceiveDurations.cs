using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Http;

namespace Inbox.Samples.Hosting;

/// <summary>
/// How long each received message took through this process's receive pipe (MassTransit's
/// <c>messaging.masstransit.receive.duration</c>: the inbox, the consumer, the commit), kept since the last clear and
/// served at <c>/diagnostics/receive-durations</c> with the Inbox counters. The scale benchmark reads them for its
/// per-message percentiles; in production use the OTLP export instead.
/// </summary>
public sealed class ReceiveDurations : IDisposable
{
    public const string InstrumentName = "messaging.masstransit.receive.duration";

    // MassTransit records the duration only while its receive counter has a listener.
    private const string ReceiveCounterName = "messaging.masstransit.receive";
    private const int Capacity = 200_000;
    private readonly MeterListener _listener = new();
    private ConcurrentQueue<double> _milliseconds = new();

    public ReceiveDurations()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == "MassTransit" && instrument.Name is InstrumentName or ReceiveCounterName)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<double>((_, value, _, _) =>
        {
            var queue = _milliseconds;
            if (queue.Count < Capacity)
            {
                queue.Enqueue(value);
            }
        });
        _listener.Start();
    }

    public double[] Snapshot() => _milliseconds.ToArray();

    public void Clear() => _milliseconds = new ConcurrentQueue<double>();

    public void Dispose() => _listener.Dispose();

    internal static void Map(IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/diagnostics/receive-durations", (ReceiveDurations durations) => Results.Ok(durations.Snapshot())).ExcludeFromDescription();
        endpoints.MapDelete("/diagnostics/receive-durations", (ReceiveDurations durations) =>
        {
            durations.Clear();
            return Results.NoContent();
        }).ExcludeFromDescription();
    }
}
