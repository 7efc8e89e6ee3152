using System.Collections.Concurrent;

namespace Inbox.AspNetCore.Tests.Support;

/// <summary>What the synchronous test handlers did, and a gate a test can hold them at.</summary>
public sealed class HandlerProbe
{
    private int _runs;

    public int Runs => Volatile.Read(ref _runs);

    public ConcurrentQueue<string> DownstreamKeys { get; } = new();

    /// <summary>When set, a gated handler waits for it after it has written its row (and before it answers).</summary>
    public TaskCompletionSource? Gate { get; set; }

    /// <summary>Completes when a gated handler reaches the gate.</summary>
    public TaskCompletionSource AtGate { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Ran() => Interlocked.Increment(ref _runs);

    public async Task PassGateAsync()
    {
        if (Gate is { } gate)
        {
            AtGate.TrySetResult();
            await gate.Task;
        }
    }
}
