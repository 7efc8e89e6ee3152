namespace Inbox.Benchmarks;

/// <summary>
/// When a process's JIT has settled: a process that has run a while compiles 1-15 methods a second, one warming up
/// hundreds (tier-1 recompiles of its hot methods). Timed windows start once it compiles as little as a settled one.
/// </summary>
internal static class JitSettling
{
    /// <summary>Fewer than this many methods compiled a second counts as settled.</summary>
    public const int MethodsPerSecond = 20;

    /// <summary>Whether <paramref name="methodsCompiled"/> over <paramref name="window"/> is a settled rate.</summary>
    public static bool Settled(long methodsCompiled, TimeSpan window) => methodsCompiled < MethodsPerSecond * window.TotalSeconds;
}
