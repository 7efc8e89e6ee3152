using System.Diagnostics;
using Inbox.Chaos;
using Inbox.Testing;

// The chaos run: the sample stack as real processes on this machine against real RabbitMQ and PostgreSQL,
// under load with duplicate and hot-key retries, while workers and an API are SIGKILLed and the servers
// restart. Prints one figure per line and exits non-zero if anything is lost or doubled.
// --cluster runs it on eng/cluster.sh's engines, with a RabbitMQ node stop and a PostgreSQL failover instead.
//
//   dotnet run -c Release --project tests/Inbox.Chaos -- [--ci] [--cluster] [--submissions N] ...
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

var exitCode = 1;
if (!options.Cluster)
{
    await using var database = await PostgresServer.CreateDatabaseAsync();
    await using var rabbit = await RabbitMqServer.CreateVirtualHostAsync();
    exitCode = await RunAsync(database.ConnectionString, rabbit, settings: null);
}
else
{
    if (Environment.UserName != "root")
    {
        Console.Error.WriteLine("--cluster stops RabbitMQ nodes and fails PostgreSQL over through eng/cluster.sh: run it as root, after `bash eng/cluster.sh start`.");
        return 2;
    }

    await ClusterScript.ExportUrlsAsync();
    // Holding the pair keeps the failover tests off it meanwhile; afterwards the old primary is rebuilt as the standby.
    await PostgresCluster.WhileHoldingAsync(async () =>
    {
        await using var database = await PostgresCluster.CreateDatabaseAsync();
        await using var rabbit = await RabbitMqCluster.CreateVirtualHostAsync();
        exitCode = await RunAsync(database.ConnectionString, rabbit, new Dictionary<string, string>
        {
            ["ConnectionStrings__RabbitMq"] = RabbitMqCluster.ConnectionString(rabbit),
            ["Messaging__QuorumSize"] = RabbitMqCluster.Nodes.Count.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        Log("rebuilding the PostgreSQL pair (eng/cluster.sh rebuild)");
    });
}

Console.WriteLine($"wall time: {clock.Elapsed.TotalSeconds:F0} s");
return exitCode;

async Task<int> RunAsync(string database, RabbitMqVirtualHost rabbit, Dictionary<string, string>? settings)
{
    var work = Directory.CreateTempSubdirectory("inbox-chaos-").FullName;
    try
    {
        Log($"starting the stack ({options.Submissions} submissions, {options.Clients} clients, seed {options.Seed}{(options.Cluster ? ", on the cluster" : "")})");
        await using var stack = await ChaosStack.StartAsync(database, rabbit.AmqpUri, options, work, settings);
        var run = $"chaos{options.Seed}";
        var plan = LoadPlan.Create(options, run);
        var client = new LoadClient(stack.ApiAddresses);
        var completed = 0;
        double Progress() => (double)Volatile.Read(ref completed) / plan.Count;
        using var loadDone = new CancellationTokenSource();
        var monkey = new ChaosMonkey(stack, options, Progress, Log);
        var faults = options.Cluster ? new ClusterFaults(rabbit, options, Progress, client.Clock, Log) : null;
        var chaos = Task.WhenAll(monkey.RunAsync(loadDone.Token), faults?.RunAsync(loadDone.Token) ?? Task.CompletedTask);

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

        await ChaosReport.AwaitQuiescenceAsync(database, options.Quiescence, Log);
        var cluster = faults is null ? null : await ClusterReport.CollectAsync(database, client, faults);
        var figures = await ChaosReport.CollectAsync(database, stack, client, monkey, options, plan.Submissions, cluster);
        foreach (var line in figures.Lines)
        {
            Console.WriteLine(line);
        }

        return figures.Broken ? 1 : 0;
    }
    finally
    {
        Directory.Delete(work, recursive: true);
    }
}
