using System.Diagnostics.Metrics;
using Inbox.Diagnostics;

namespace Inbox.AspNetCore.Diagnostics;

internal sealed class HttpMetrics
{
    private const string EndpointTag = "inbox.endpoint";
    private readonly Counter<long> _accepted;
    private readonly Counter<long> _replayed;
    private readonly Counter<long> _mismatched;
    private readonly Counter<long> _inUse;
    private readonly Counter<long> _keysRejected;
    private readonly Counter<long> _publishFailures;

    public HttpMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(InboxDiagnostics.Name);
        _accepted = meter.CreateCounter<long>(InboxDiagnostics.OperationsAccepted, "{operation}", "Operations accepted.");
        _replayed = meter.CreateCounter<long>(InboxDiagnostics.OperationsReplayed, "{request}", "Retries answered with the stored acceptance.");
        _mismatched = meter.CreateCounter<long>(InboxDiagnostics.OperationsMismatched, "{request}", "Retries rejected for a different body.");
        _inUse = meter.CreateCounter<long>(InboxDiagnostics.OperationsInUse, "{request}", "Acceptances not resolved in time.");
        _keysRejected = meter.CreateCounter<long>(InboxDiagnostics.KeysRejected, "{request}", "Requests rejected for their idempotency key.");
        _publishFailures = meter.CreateCounter<long>(InboxDiagnostics.PublishFailures, "{operation}", "Publishes that failed after the operation was stored.");
    }

    public void Accepted(string endpoint) => _accepted.Add(1, Tag(endpoint));

    public void Replayed(string endpoint) => _replayed.Add(1, Tag(endpoint));

    public void Mismatched(string endpoint) => _mismatched.Add(1, Tag(endpoint));

    public void InUse(string endpoint) => _inUse.Add(1, Tag(endpoint));

    public void KeyRejected(string endpoint) => _keysRejected.Add(1, Tag(endpoint));

    public void PublishFailed(string endpoint) => _publishFailures.Add(1, Tag(endpoint));

    private static KeyValuePair<string, object?> Tag(string endpoint) => new(EndpointTag, endpoint);
}
