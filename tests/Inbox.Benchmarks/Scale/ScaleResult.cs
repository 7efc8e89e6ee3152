using System.Globalization;

namespace Inbox.Benchmarks.Scale;

/// <summary>
/// One scale run: <paramref name="Processes"/> workers or APIs; throughput; per-message latency; CPU µs per message of
/// each worker or API process, of PostgreSQL, RabbitMQ and the simulator; duplicate runs found in the evidence.
/// </summary>
internal sealed record ScaleResult(
    int Processes, int Items, double PerSecond, double P50Milliseconds, double P99Milliseconds,
    double[] CpuPerProcess, double CpuPostgres, double CpuRabbit, double CpuDownstream, int Duplicates, string Evidence)
{
    /// <summary>Cores kept busy by the measured processes over the timed window (this machine has 2).</summary>
    public double Cores { get; init; }

    public static void Print(string title, string unit, IReadOnlyList<ScaleResult> results, string latency)
    {
        Console.WriteLine();
        Console.WriteLine($"## {title}");
        Console.WriteLine();
        Console.WriteLine($"Latency: {latency}. CPU in µs per {unit}; \"each\" is every process's own CPU over the {unit}s it handled.");
        Console.WriteLine();
        Console.WriteLine($"| processes | {unit}s timed | {unit}/s | ratio to 1 | p50 ms | p99 ms | CPU each | CPU PostgreSQL / RabbitMQ / simulator | cores busy | duplicate runs |");
        Console.WriteLine("| ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | --- |");
        var one = results.FirstOrDefault(r => r.Processes == 1)?.PerSecond ?? 0;
        foreach (var r in results)
        {
            var each = string.Join(" / ", r.CpuPerProcess.Select(c => c.ToString("F0", CultureInfo.InvariantCulture)));
            var ratio = one > 0 && r.PerSecond > 0 ? (r.PerSecond / one).ToString("F2", CultureInfo.InvariantCulture) + "x" : "-";
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {r.Processes} | {r.Items} | {r.PerSecond:F0} | {ratio} | {r.P50Milliseconds:F2} | {r.P99Milliseconds:F2} | {each} | {Cpu(r.CpuPostgres)} / {Cpu(r.CpuRabbit)} / {Cpu(r.CpuDownstream)} | {r.Cores:F2} | {r.Duplicates} ({r.Evidence}) |"));
        }
    }

    // A server process that restarted during the window (another user of the machine) leaves a negative difference.
    private static string Cpu(double microseconds) => microseconds < 0 ? "?" : microseconds.ToString("F0", CultureInfo.InvariantCulture);

    public static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
}
