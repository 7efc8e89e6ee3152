using System.Diagnostics;
using System.Globalization;

namespace Inbox.Benchmarks;

/// <summary>Latencies of one run (preallocated, lock-free) and the throughput over its wall time.</summary>
public sealed class Recorder(int capacity)
{
    private readonly long[] _ticks = new long[capacity];
    private int _count;

    public int Count => Volatile.Read(ref _count);

    public void Record(long stopwatchTicks)
    {
        var index = Interlocked.Increment(ref _count) - 1;
        if (index < _ticks.Length)
        {
            _ticks[index] = stopwatchTicks;
        }
    }

    public Result Finish(string variant, int concurrency, TimeSpan wall, CpuMeter? cpu = null)
    {
        var count = Math.Min(Count, _ticks.Length);
        var sorted = _ticks.AsSpan(0, count).ToArray();
        Array.Sort(sorted);
        double Percentile(double p) => count == 0 ? 0 : sorted[Math.Min(count - 1, (int)Math.Ceiling(p * count) - 1)] * 1000.0 / Stopwatch.Frequency;
        var (self, postgres, rabbit) = cpu?.PerItem(count) ?? (0, 0, 0);
        return new Result(variant, concurrency, count / wall.TotalSeconds, Percentile(0.50), Percentile(0.99), self, postgres, rabbit);
    }
}

/// <summary>One run's figures; CPU in microseconds per item for this process, PostgreSQL and RabbitMQ.</summary>
public sealed record Result(
    string Variant, int Concurrency, double PerSecond, double P50Milliseconds, double P99Milliseconds,
    double CpuSelf = 0, double CpuPostgres = 0, double CpuRabbit = 0);

/// <summary>Prints a table; each variant's figures are medians over rounds, and its ratio the median of paired ratios.</summary>
public static class Table
{
    public static void Print(string title, string unit, IReadOnlyList<IReadOnlyList<Result>> rounds, string baseline)
    {
        Console.WriteLine();
        Console.WriteLine($"## {title}");
        Console.WriteLine();
        Console.WriteLine($"| variant | concurrency | {unit}/s | p50 ms | p99 ms | ratio to {baseline} | CPU µs/{unit}: app / PostgreSQL / RabbitMQ |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
        var all = rounds.SelectMany(r => r).ToList();
        foreach (var group in all.GroupBy(r => (r.Variant, r.Concurrency)).OrderBy(g => g.Key.Concurrency))
        {
            var ratios = rounds
                .Select(round => (Mine: round.FirstOrDefault(r => r.Variant == group.Key.Variant && r.Concurrency == group.Key.Concurrency),
                    Base: round.FirstOrDefault(r => r.Variant == baseline && r.Concurrency == group.Key.Concurrency)))
                .Where(pair => pair.Mine is not null && pair.Base is not null && pair.Base.PerSecond > 0)
                .Select(pair => pair.Mine!.PerSecond / pair.Base!.PerSecond)
                .ToList();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {group.Key.Variant} | {group.Key.Concurrency} | {Median(group.Select(r => r.PerSecond)):F0} | {Median(group.Select(r => r.P50Milliseconds)):F2} | {Median(group.Select(r => r.P99Milliseconds)):F2} | {(ratios.Count == 0 ? "-" : Median(ratios).ToString("F2", CultureInfo.InvariantCulture) + "x")} | {Median(group.Select(r => r.CpuSelf)):F0} / {Median(group.Select(r => r.CpuPostgres)):F0} / {Median(group.Select(r => r.CpuRabbit)):F0} |"));
        }
    }

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? 0 : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
