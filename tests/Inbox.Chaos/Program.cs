using System.Diagnostics;
using Inbox.Chaos;
using Inbox.Testing;

// The chaos run: the sample stack as real processes on this machine against real RabbitMQ and PostgreSQL,
// under load with duplicate and hot-key retries, while workers and an API are SIGKILLed and the servers
// restart. Prints one figure per line and exits non-zero if anything is lost or doubled.
//
//   dotnet run -c Release --project tests/Inbox.Chaos -- [--ci] [--submissions N] ...
ChaosOptions options;
try
{
    options = ChaosOptions.Parse(args);
}
catch (ArgumentException exception)
{
    Console.Error.WriteLine(exception.Message);
    return 2;
}

var clock = Stopwatch.StartNew();
void Log(string message) => Console.Error.WriteLine($"[chaos {clock.Elapsed:mm\\:ss}] {message}");

await using var database = await PostgresServer.CreateDatabaseAsync();
await using var rabbit = await RabbitMqServer.CreateVirtualHostAsync();
var work = Directory.CreateTempSubdirectory("inbox-chaos-").FullName;
try
{
    Log($"starting the stack ({options.Submissions} submissions, {options.Clients} clients, seed {options.Seed})");
    await using var stack = await ChaosStack.StartAsync(database.ConnectionString, rabbit.AmqpUri, options, work);
    var run = $"chaos{options.Seed}";
    var plan = LoadPlan.Create(options, run);
    var client = new LoadClient(stack.ApiAddresses);
    var completed = 0;
    using var loadDone = new CancellationTokenSource();
    var monkey = new ChaosMonkey(stack, options, () => (double)Volatile.Read(ref completed) / plan.Count, Log);
    var chaos = monkey.RunAsync(loadDone.Token);

    var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(20);
    var loadStart = Stopwatch.StartNew();
    await Parallel.ForEachAsync(plan.Select((step, index) => (step, index)), new ParallelOptions { MaxDegreeOfParallelism = options.Clients }, async (item, _) =>
    {
        var due = TimeSpan.FromSeconds(item.index / options.Rate) - loadStart.Elapsed;
        if (due > TimeSpan.Zero)
        {
            await Task.Delay(due, CancellationToken.None);
        }

        await item.step.RunAsync(client, deadline);
        Interlocked.Increment(ref completed);
    });
    Log($"load sent: {client.Requests} requests");
    await loadDone.CancelAsync();
    await chaos;

    for (var i = 0; i < 2; i++)
    {
        if (stack.Api(i) is null)
        {
            await stack.StartApiAsync(i);
        }

        if (stack.Worker(i) is null)
        {
            await stack.StartWorkerAsync(i);
        }
    }

    var report = await ChaosReport.AwaitQuiescenceAsync(database.ConnectionString, options.Quiescence, Log);
    var figures = await ChaosReport.CollectAsync(database.ConnectionString, stack, client, monkey, options, plan.Submissions);
    foreach (var line in figures.Lines)
    {
        Console.WriteLine(line);
    }

    Console.WriteLine($"wall time: {clock.Elapsed.TotalSeconds:F0} s");
    return figures.Broken ? 1 : 0;
}
finally
{
    Directory.Delete(work, recursive: true);
}
