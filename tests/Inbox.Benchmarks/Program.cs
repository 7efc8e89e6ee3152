using Inbox.Benchmarks;
using Inbox.Benchmarks.Consume;

// What exactly-once costs, measured side by side on one broker and one database:
//   dotnet run -c Release --project tests/Inbox.Benchmarks -- <consume|consume-embedded|accept|accept-sync|scale|growth|console|micro|client|all> [--quick]
//     [--messages N] [--rounds N] [--warmup N] [--concurrency 1,8,32]; console: [--rows N] [--iterations N] [--plans] [--seconds N];
//     scale: [--processes 1,2,4] [--concurrency N] (the accept path's clients); accept: [--only TEXT] (variants whose name holds it)
// Servers: INBOX_TEST_POSTGRES and INBOX_TEST_RABBITMQ (see eng/servers.sh), as for the tests.
var options = BenchOptions.Parse(args);
var scenarios = new Dictionary<string, Func<BenchOptions, Task>>(StringComparer.OrdinalIgnoreCase)
{
    ["consume"] = ConsumeScenario.RunAsync,
    ["consume-embedded"] = ConsumeScenario.RunEmbeddedAsync,
    ["accept"] = Inbox.Benchmarks.Accept.AcceptScenario.RunAsync,
    ["accept-sync"] = Inbox.Benchmarks.AcceptSync.AcceptSyncScenario.RunAsync,
    ["scale"] = Inbox.Benchmarks.Scale.ScaleScenario.RunAsync,
    ["growth"] = Inbox.Benchmarks.Growth.GrowthScenario.RunAsync,
    ["console"] = Inbox.Benchmarks.OperationsConsole.ConsoleScenario.RunAsync,
    ["micro"] = Inbox.Benchmarks.Micro.MicroScenario.RunAsync,
    ["client"] = Inbox.Benchmarks.Micro.MicroScenario.RunClientAsync,
};

if (options.Scenario == "all")
{
    foreach (var scenario in scenarios.Values)
    {
        await scenario(options);
    }

    return 0;
}

if (!scenarios.TryGetValue(options.Scenario, out var run))
{
    Console.Error.WriteLine($"Scenarios: {string.Join(", ", scenarios.Keys)}, all. Options: --quick --messages N --rounds N --warmup N --concurrency 1,8,32; console: --rows N --iterations N --plans --seconds N; scale: --processes 1,2,4");
    return 2;
}

await run(options);
return 0;
