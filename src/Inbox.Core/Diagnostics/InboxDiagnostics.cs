using System.Diagnostics;

namespace Inbox.Diagnostics;

/// <summary>
/// The names Inbox reports under: one <see cref="System.Diagnostics.ActivitySource"/> and one
/// <see cref="System.Diagnostics.Metrics.Meter"/>, both named <see cref="Name"/>
/// (<c>AddSource(InboxDiagnostics.Name)</c>, <c>AddMeter(InboxDiagnostics.Name)</c>).
/// </summary>
public static class InboxDiagnostics
{
    /// <summary>The activity source and meter name.</summary>
    public const string Name = "Inbox";

    /// <summary>The one activity source every Inbox package starts its activities from.</summary>
    public static ActivitySource ActivitySource { get; } = new(Name);

    /// <summary>Counter: operations accepted (stored for the first time).</summary>
    public const string OperationsAccepted = "inbox.operations.accepted";

    /// <summary>Counter: retries answered with the stored acceptance.</summary>
    public const string OperationsReplayed = "inbox.operations.replayed";

    /// <summary>Counter: retries rejected because the body differs from the first request's.</summary>
    public const string OperationsMismatched = "inbox.operations.mismatched";

    /// <summary>Counter: acceptances that could not be resolved in time (<c>idempotency_key_in_use</c>).</summary>
    public const string OperationsInUse = "inbox.operations.in_use";

    /// <summary>Counter: requests rejected for their idempotency key (invalid or missing where required).</summary>
    public const string KeysRejected = "inbox.keys.rejected";

    /// <summary>Counter: publishes that failed after the operation was stored (the relay takes over).</summary>
    public const string PublishFailures = "inbox.operations.publish_failures";

    /// <summary>Counter: operations published again by the relay.</summary>
    public const string OperationsRelayed = "inbox.operations.relayed";

    /// <summary>
    /// Counter: operations the relay has republished as often as its stall threshold (<c>RelayStalledThreshold</c>)
    /// without a consumer completing them; each operation counts once.
    /// </summary>
    public const string OperationsRelayStalled = "inbox.operations.relay_stalled";

    /// <summary>Counter: expired rows deleted by the sweeper; tagged with <c>inbox.table</c>.</summary>
    public const string RowsSwept = "inbox.retention.rows_deleted";

    /// <summary>Counter: messages a consumer ran and committed behind the inbox; tagged with <c>inbox.consumer</c>.</summary>
    public const string MessagesConsumed = "inbox.messages.consumed";

    /// <summary>Counter: redeliveries and duplicate publishes the inbox skipped.</summary>
    public const string DuplicatesSkipped = "inbox.messages.duplicates_skipped";

    /// <summary>Counter: deliveries that waited because another delivery held a live lease.</summary>
    public const string DeliveriesDeferred = "inbox.messages.deferred";

    /// <summary>Counter: expired leases taken over (the effect is repeated with the same downstream key).</summary>
    public const string LeaseTakeovers = "inbox.leases.takeovers";

    /// <summary>Counter: messages whose retries were exhausted, recorded as failed.</summary>
    public const string FailuresRecorded = "inbox.messages.failures_recorded";

    /// <summary>
    /// Counter: actions taken on the operations console, one per accepted request whatever it changed; tagged with
    /// <c>inbox.console.action</c> (<c>redrive</c>, <c>redrive_group</c>, <c>release_leases</c>).
    /// </summary>
    public const string ConsoleActions = "inbox.console.actions";

    /// <summary>
    /// Histogram: acceptances per group-commit batch (<c>InboxStoreOptions.GroupCommit</c>), one record per batch
    /// sent to the database.
    /// </summary>
    public const string AcceptBatchSize = "inbox.accept.batch_size";
}
