using System.Globalization;

namespace Inbox.Benchmarks;

/// <summary>The command line: a scenario, <c>--quick</c> for a sanity run, and sizes.</summary>
public sealed record BenchOptions(string Scenario, bool Quick, int Messages, int Rounds, int Warmup, int[] Concurrency)
{
    /// <summary><c>--plans</c>: print each query's full <c>EXPLAIN (ANALYZE, BUFFERS)</c> (the console scenario).</summary>
    public bool Plans { get; init; }

    /// <summary><c>--iterations N</c>: timed executions of each query (the console scenario); 0 for its default.</summary>
    public int Iterations { get; init; }

    /// <summary><c>--seconds N</c>: how long the console's counts are polled over HTTP (the console scenario); 0 for its default.</summary>
    public int Seconds { get; init; }

    /// <summary><c>--rows N</c>: rows to seed (the console scenario); 0 for its default.</summary>
    public int Rows { get; init; }

    /// <summary><c>--processes 1,2,4</c>: how many worker and API processes to run (the scale scenario); empty for its default.</summary>
    public int[] Processes { get; init; } = [];

    /// <summary><c>--only TEXT</c>: run only the variants whose name contains TEXT (the accept scenario), to profile one alone.</summary>
    public string? Only { get; init; }

    /// <summary>Whether <c>--messages</c> was given (the scale scenario sizes its runs itself otherwise).</summary>
    public bool MessagesGiven { get; init; }

    public static BenchOptions Parse(string[] args)
    {
        var scenario = args.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal)) ?? "help";
        var quick = args.Contains("--quick");
        int? Int(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length
            ? int.Parse(args[i + 1], CultureInfo.InvariantCulture)
            : null;
        int[]? Ints(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length
            ? args[i + 1].Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray()
            : null;
        return new BenchOptions(
            scenario,
            quick,
            Int("--messages") ?? (quick ? 1_500 : 10_000),
            Int("--rounds") ?? (quick ? 1 : 3),
            Int("--warmup") ?? (quick ? 500 : 3_000),
            Ints("--concurrency") ?? [])
        {
            Plans = args.Contains("--plans"),
            Iterations = Int("--iterations") ?? 0,
            Rows = Int("--rows") ?? 0,
            Seconds = Int("--seconds") ?? 0,
            Processes = Ints("--processes") ?? [],
            Only = Array.IndexOf(args, "--only") is var only and >= 0 && only + 1 < args.Length ? args[only + 1] : null,
            MessagesGiven = Int("--messages") is not null,
        };
    }
}
