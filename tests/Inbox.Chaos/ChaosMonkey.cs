namespace Inbox.Chaos;

/// <summary>
/// Breaks things while the load runs: SIGKILLs a random worker every few seconds and starts it again, kills an
/// API once, restarts RabbitMQ once and PostgreSQL once. Counts what it did.
/// </summary>
internal sealed class ChaosMonkey(ChaosStack stack, ChaosOptions options, Func<double> progress, Action<string> log)
{
    public int WorkerKills { get; private set; }

    public int ApiKills { get; private set; }

    public int BrokerRestarts { get; private set; }

    public int DatabaseRestarts { get; private set; }

    public List<string> Skipped { get; } = [];

    public async Task RunAsync(CancellationToken loadDone)
    {
        var random = new Random(options.Seed);
        var apiKilled = !options.KillApi;
        // In cluster mode ClusterFaults stops a broker node and fails the database over instead; the single servers stay up.
        var brokerRestarted = !options.RestartBroker || options.Cluster;
        var databaseRestarted = !options.RestartDatabase || options.Cluster;
        if (!options.Cluster && !ServerControl.CanRestart && (options.RestartBroker || options.RestartDatabase))
        {
            Skipped.Add("server restarts (the servers are not local to this root session)");
            brokerRestarted = databaseRestarted = true;
        }

        while (!loadDone.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(options.KillEvery + TimeSpan.FromMilliseconds(random.Next(0, 1500)), loadDone);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            var done = progress();
            if (!apiKilled && done > 0.25)
            {
                apiKilled = true;
                log("kill api 0");
                await stack.KillApiAsync(0);
                ApiKills++;
                await Task.Delay(TimeSpan.FromSeconds(1), CancellationToken.None);
                var restart = System.Diagnostics.Stopwatch.StartNew();
                await stack.StartApiAsync(0);
                log($"api 0 ready again after {restart.Elapsed.TotalSeconds:F1} s");
                continue;
            }

            if (!brokerRestarted && done > 0.45)
            {
                brokerRestarted = true;
                log("restart rabbitmq");
                await ServerControl.RestartBrokerAsync();
                BrokerRestarts++;
                continue;
            }

            if (!databaseRestarted && done > 0.65)
            {
                databaseRestarted = true;
                log("restart postgresql");
                await ServerControl.RestartDatabaseAsync();
                DatabaseRestarts++;
                continue;
            }

            if (WorkerKills < options.WorkerKills)
            {
                var index = random.Next(2);
                log($"kill worker {index}");
                await stack.KillWorkerAsync(index);
                WorkerKills++;
                await Task.Delay(TimeSpan.FromMilliseconds(random.Next(200, 1500)), CancellationToken.None);
                await stack.StartWorkerAsync(index);
            }
        }
    }
}
