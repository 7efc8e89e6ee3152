using System.Runtime;
using Microsoft.AspNetCore.Http;

namespace Inbox.Samples.Hosting;

/// <summary>
/// How much this process has compiled since it started (methods and JIT time), served at <c>/diagnostics/jit</c> with the
/// Inbox counters. A fresh process spends seconds of CPU recompiling its hot methods at tier 1; the scale benchmark
/// waits for that to settle before it times a worker, so that the figures are those of a process that has run a while.
/// </summary>
public static class JitActivity
{
    internal static void Map(IEndpointRouteBuilder endpoints) =>
        endpoints.MapGet("/diagnostics/jit", () => Results.Ok(new Dictionary<string, double>
        {
            ["compiled_methods"] = JitInfo.GetCompiledMethodCount(),
            ["compilation_ms"] = JitInfo.GetCompilationTime().TotalMilliseconds,
        })).ExcludeFromDescription();
}
