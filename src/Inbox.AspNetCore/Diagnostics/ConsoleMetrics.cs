using System.Diagnostics.Metrics;
using Inbox.Diagnostics;

namespace Inbox.AspNetCore.Diagnostics;

/// <summary>The operations console's counter: one per action taken, tagged with the action.</summary>
internal sealed class ConsoleMetrics
{
    public const string Redrive = "redrive";
    public const string RedriveGroup = "redrive_group";
    public const string ReleaseLeases = "release_leases";

    private const string ActionTag = "inbox.console.action";
    private readonly Counter<long> _actions;

    public ConsoleMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(InboxDiagnostics.Name);
        _actions = meter.CreateCounter<long>(InboxDiagnostics.ConsoleActions, "{action}", "Actions taken on the operations console.");
    }

    public void Acted(string action)
    {
        if (_actions.Enabled)
        {
            _actions.Add(1, new KeyValuePair<string, object?>(ActionTag, action));
        }
    }
}
