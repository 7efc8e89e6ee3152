using System.Diagnostics.Metrics;
using Inbox.Diagnostics;

namespace Inbox.Background;

internal sealed class StoreMetrics
{
    private readonly Counter<long> _relayed;
    private readonly Counter<long> _relayStalled;
    private readonly Counter<long> _swept;

    public StoreMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(InboxDiagnostics.Name);
        _relayed = meter.CreateCounter<long>(InboxDiagnostics.OperationsRelayed, "{operation}", "Operations published again by the relay.");
        _relayStalled = meter.CreateCounter<long>(
            InboxDiagnostics.OperationsRelayStalled, "{operation}", "Operations republished as often as the stall threshold without a consumer completing them.");
        _swept = meter.CreateCounter<long>(InboxDiagnostics.RowsSwept, "{row}", "Expired rows deleted by the retention sweeper.");
    }

    public void Relayed(int count) => _relayed.Add(count);

    public void RelayStalled() => _relayStalled.Add(1);

    public void Swept(string table, int count) =>
        _swept.Add(count, new KeyValuePair<string, object?>("inbox.table", table));
}
