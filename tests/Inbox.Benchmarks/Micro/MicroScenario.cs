using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace Inbox.Benchmarks.Micro;

/// <summary>BenchmarkDotNet, in process (no child build): key parsing, fingerprints and the response capture, with allocations.</summary>
public static class MicroScenario
{
    public static Task RunAsync(BenchOptions options)
    {
        var job = (options.Quick ? Job.ShortRun : Job.Default).WithToolchain(InProcessEmitToolchain.Instance);
        var config = DefaultConfig.Instance.AddJob(job).WithOptions(ConfigOptions.DisableOptimizationsValidator)
            .WithArtifactsPath(Path.Combine(Path.GetTempPath(), "inbox-benchmarkdotnet"));
        BenchmarkRunner.Run<KeyAndFingerprintBenchmarks>(config);
        BenchmarkRunner.Run<ResponseCaptureBenchmarks>(config);
        return Task.CompletedTask;
    }
}
