using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Inbox.Diagnostics;
using Microsoft.AspNetCore.Http;

namespace Inbox.Samples.Hosting;

/// <summary>
/// The Inbox counters of this process since it started, read with a <see cref="MeterListener"/> and served
/// as JSON at <c>/diagnostics/inbox-counters</c> when <c>Diagnostics:InboxCounters</c> is true (with
/// <see cref="ReceiveDurations"/> and <see cref="JitActivity"/>). The chaos run and the scale benchmark read them; in production use the OTLP export instead.
/// </summary>
public sealed class InboxCounters : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<string, long> _totals = new(StringComparer.Ordinal);

    public InboxCounters()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == InboxDiagnostics.Name)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, _, _) => _totals.AddOrUpdate(instrument.Name, value, (_, total) => total + value));
        _listener.Start();
    }

    public IReadOnlyDictionary<string, long> Snapshot() => new SortedDictionary<string, long>(_totals, StringComparer.Ordinal);

    public void Dispose() => _listener.Dispose();
}

public static class InboxCountersExtensions
{
    public static IServiceCollection AddInboxCounters(this IServiceCollection services, IConfiguration configuration)
    {
        if (configuration.GetValue("Diagnostics:InboxCounters", false))
        {
            services.AddSingleton<InboxCounters>();
            services.AddSingleton<ReceiveDurations>();
        }

        return services;
    }

    public static IEndpointRouteBuilder MapInboxCounters(this IEndpointRouteBuilder endpoints)
    {
        if (endpoints.ServiceProvider.GetService<InboxCounters>() is not null)
        {
            endpoints.MapGet("/diagnostics/inbox-counters", (InboxCounters counters) => Results.Ok(counters.Snapshot())).ExcludeFromDescription();
            ReceiveDurations.Map(endpoints);
            JitActivity.Map(endpoints);
        }

        return endpoints;
    }
}
