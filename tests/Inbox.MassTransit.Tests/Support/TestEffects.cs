using System.Collections.Concurrent;

namespace Inbox.MassTransit.Tests.Support;

/// <summary>
/// What the test consumers did, shared by every host of a test: invocations per message, calls to the
/// downstream (by downstream key), and the faults the test asks them to raise.
/// </summary>
public sealed class TestEffects
{
    public ConcurrentDictionary<string, int> Invocations { get; } = new();

    public ConcurrentDictionary<string, int> DownstreamCalls { get; } = new();

    /// <summary>The inbox mode each claim consumer invocation ran under.</summary>
    public ConcurrentQueue<InboxMode> ClaimModes { get; } = new();

    /// <summary>How many more attempts throw after writing (transient failure).</summary>
    public int TransientFailuresLeft;

    /// <summary>When set, the claim consumer fails the operation for good.</summary>
    public volatile bool RejectClaims;

    /// <summary>When set, every attempt throws a plain exception (retries exhaust).</summary>
    public volatile bool AlwaysThrow;

    /// <summary>When set, the claim consumer calls SaveChanges even in <see cref="InboxMode.SavedByInbox"/>, where it leaves its write tracked.</summary>
    public volatile bool SaveAnyway;

    /// <summary>When set, the claim consumer never calls SaveChanges: it leaves its write tracked for the inbox to save with the outcome.</summary>
    public volatile bool LeaveTracked;

    /// <summary>When set, the claim consumer begins a transaction of its own and leaves it open.</summary>
    public volatile bool BeginTransaction;

    /// <summary>When set, the claim consumer attaches a <c>SavingChanges</c> handler, which counts into <see cref="SavesObserved"/>.</summary>
    public volatile bool ObserveSaves;

    /// <summary>How many times a <c>SavingChanges</c> handler attached under <see cref="ObserveSaves"/> ran.</summary>
    public int SavesObserved;

    /// <summary>The messages of the claim consumer's refused saves.</summary>
    public ConcurrentQueue<string> SaveErrors { get; } = new();

    /// <summary>Runs inside the downstream call, after it is recorded; lets a test hold an effect mid-flight.</summary>
    public Func<string, CancellationToken, Task>? DuringDownstreamCall { get; set; }

    /// <summary>Runs in the claim consumer after it added its write, before it saves or returns.</summary>
    public Action? DuringClaim { get; set; }

    /// <summary>Runs in the claim consumer after it saved its write, inside the inbox's transaction, before the commit.</summary>
    public Func<Task>? AfterClaimSaved { get; set; }

    public string? ProbeError { get; set; }

    public int Invoked(string id) => Invocations.AddOrUpdate(id, 1, (_, n) => n + 1);

    public async Task CallDownstreamAsync(string downstreamKey, CancellationToken cancellationToken)
    {
        DownstreamCalls.AddOrUpdate(downstreamKey, 1, (_, n) => n + 1);
        if (DuringDownstreamCall is { } hook)
        {
            await hook(downstreamKey, cancellationToken);
        }
    }

    public bool TakeTransientFailure() => Interlocked.Decrement(ref TransientFailuresLeft) >= 0;
}
