using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace Inbox.Benchmarks.Micro;

/// <summary>BenchmarkDotNet, in process (no child build), with allocations: key parsing, fingerprints and the response capture; the client's handlers.</summary>
public static class MicroScenario
{
    public static Task RunAsync(BenchOptions options)
    {
        BenchmarkRunner.Run<KeyAndFingerprintBenchmarks>(Config(options));
        BenchmarkRunner.Run<ResponseCaptureBenchmarks>(Config(options));
        return Task.CompletedTask;
    }

    public static Task RunClientAsync(BenchOptions options)
    {
        BenchmarkRunner.Run<ClientHandlerBenchmarks>(Config(options));
        return Task.CompletedTask;
    }

    private static IConfig Config(BenchOptions options)
    {
        var job = (options.Quick ? Job.ShortRun : Job.Default).WithToolchain(InProcessEmitToolchain.Instance);
        return DefaultConfig.Instance.AddJob(job).WithOptions(ConfigOptions.DisableOptimizationsValidator)
            .WithArtifactsPath(Path.Combine(Path.GetTempPath(), "inbox-benchmarkdotnet"));
    }
}
