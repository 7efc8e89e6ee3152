namespace Inbox.Background;

/// <summary>
/// Options of the publish relay and the retention sweeper, which run over any store that implements Core's
/// <see cref="Stores.IOperationRelayStore"/> and <see cref="Stores.IRetentionStore"/>, and of the stores' relay delay.
/// </summary>
public sealed class InboxStoreOptions
{
    /// <summary>
    /// How long an operation may stay <c>accepted</c> (published but not yet taken by a consumer) before the
    /// relay publishes it again. Default: 30 seconds. Each republish doubles the wait before the next one, up to
    /// <see cref="RelayMaxDelay"/>. Shorter delays republish operations that merely wait in a busy queue (the
    /// inbox absorbs those duplicates).
    /// </summary>
    public TimeSpan RelayDelay { get; set; } = InboxStoreDefaults.RelayDelay;

    /// <summary>
    /// The longest wait between two republishes of one operation, however often it was republished. Default:
    /// 1 hour; at least <see cref="RelayDelay"/> (equal to it, the relay republishes at a fixed rate).
    /// </summary>
    public TimeSpan RelayMaxDelay { get; set; } = InboxStoreDefaults.RelayMaxDelay;

    /// <summary>
    /// After how many republishes of one operation the relay logs a warning and counts it on
    /// <c>inbox.operations.relay_stalled</c>, once per operation: a consumer that never completes it, or a message
    /// no consumer takes. Default: 10 (with the default delays, about 4 hours after the acceptance).
    /// </summary>
    public int RelayStalledThreshold { get; set; } = InboxStoreDefaults.RelayStalledThreshold;

    /// <summary>How often the relay looks for due operations. Default: 5 seconds.</summary>
    public TimeSpan RelayPollInterval { get; set; } = InboxStoreDefaults.RelayPollInterval;

    /// <summary>How many operations the relay claims per statement. Default: 100.</summary>
    public int RelayBatchSize { get; set; } = InboxStoreDefaults.RelayBatchSize;

    /// <summary>Whether this instance runs the relay. Default: <see langword="true"/>; several instances may run it.</summary>
    public bool EnableRelay { get; set; } = true;

    /// <summary>How often the sweeper deletes expired rows. Default: 1 minute.</summary>
    public TimeSpan SweepInterval { get; set; } = InboxStoreDefaults.SweepInterval;

    /// <summary>
    /// How many rows the sweeper deletes per statement. Default: 500, short enough that requests landing during a
    /// batch barely wait (larger batches delete faster per row but show in the p99 of the accept path).
    /// </summary>
    public int SweepBatchSize { get; set; } = InboxStoreDefaults.SweepBatchSize;

    /// <summary>
    /// The share of its own time the sweeper spends deleting while a backlog remains; it rests between batches for
    /// the rest. Default: 0.1 (deleting a tenth of the time: about 11,000 rows a second on a 2-core machine).
    /// 1 deletes batch after batch without rest.
    /// </summary>
    public double SweepLoadShare { get; set; } = InboxStoreDefaults.SweepLoadShare;

    /// <summary>Whether this instance runs the sweeper. Default: <see langword="true"/>; several instances may run it.</summary>
    public bool EnableSweeper { get; set; } = true;

    /// <summary>
    /// Whether concurrent first submissions in this process share one statement and one commit (group commit):
    /// an acceptance that arrives while another batch is on its way to the database waits for it, at most
    /// <see cref="GroupCommitWindow"/>, and then goes with the others queued meanwhile, up to
    /// <see cref="GroupCommitMaxRows"/> in one multi-row insert-or-find. An acceptance that arrives while none is
    /// on its way goes at once, alone. Each request still gets its own outcome and its 202 after the batch's commit; a
    /// failed batch fails only its own requests (503). A second request with a key already queued or in a batch waits
    /// for that one and then takes the per-request path. Default: <see langword="true"/> (it ran 1.07x–1.08x an
    /// insert-and-publish endpoint at 16 clients and 1.37x–1.49x at 64, where each request committing alone ran
    /// 0.77x–0.83x). PostgreSQL only: the EF Core store ignores it on other providers (logged once).
    /// </summary>
    public bool GroupCommit { get; set; } = true;

    /// <summary>
    /// With <see cref="GroupCommit"/>, the longest an acceptance waits for the batches already on their way before its
    /// own batch leaves anyway. Default: 1 millisecond; greater than zero and at most 1 second.
    /// </summary>
    public TimeSpan GroupCommitWindow { get; set; } = InboxStoreDefaults.GroupCommitWindow;

    /// <summary>
    /// With <see cref="GroupCommit"/>, the most acceptances in one batch: a batch leaves as soon as it holds this
    /// many. Default: 64; between 1 and 1000.
    /// </summary>
    public int GroupCommitMaxRows { get; set; } = InboxStoreDefaults.GroupCommitMaxRows;
}
