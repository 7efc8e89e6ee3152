namespace Inbox.Benchmarks.Scale;

/// <summary>What a worker run waits for after its workers are ready and before it starts timing them.</summary>
internal enum Warmup
{
    /// <summary>A moment (the quick run: its backlogs are drained before the JIT settles).</summary>
    None,

    /// <summary>Until every worker's JIT has settled, as in a process that has run a while.</summary>
    UntilJitSettles,
}
