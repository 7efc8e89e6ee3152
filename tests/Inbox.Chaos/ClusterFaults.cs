using System.Diagnostics;
using Inbox.Testing;

namespace Inbox.Chaos;

/// <summary>
/// The cluster mode's faults, beside the monkey's kills (which go on meanwhile): a fifth into the load PostgreSQL fails
/// over (the primary stopped hard, the standby promoted <see cref="ChaosOptions.PromoteAfter"/> later, API and workers
/// left running); at three fifths the RabbitMQ node that leads the most quorum queues is stopped for
/// <see cref="ChaosOptions.NodeDownFor"/> and started again. The pair is rebuilt by the caller, after the run.
/// </summary>
internal sealed class ClusterFaults(RabbitMqVirtualHost virtualHost, ChaosOptions options, Func<double> progress, Stopwatch clock, Action<string> log)
{
    public const string DatabaseFailover = "postgresql failover";
    public const string BrokerNodeStop = "rabbitmq node stop";

    public List<Fault> Done { get; } = [];

    public List<string> NotRun { get; } = [];

    public async Task RunAsync(CancellationToken loadDone)
    {
        if (options.RestartDatabase)
        {
            await WhenProgressAsync(DatabaseFailover, 0.2, FailPostgresOverAsync, loadDone);
        }

        if (options.RestartBroker)
        {
            // Late enough that the monkey's API kill (at a quarter) is over: a restarted API connects to the stopping node first.
            await WhenProgressAsync(BrokerNodeStop, 0.6, StopLeadingNodeAsync, loadDone);
        }
    }

    private async Task WhenProgressAsync(string fault, double share, Func<Task> run, CancellationToken loadDone)
    {
        while (progress() < share)
        {
            if (loadDone.IsCancellationRequested)
            {
                NotRun.Add($"{fault} (the load ended first)");
                return;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200), CancellationToken.None);
        }

        try
        {
            await run();
        }
        catch (InvalidOperationException exception)
        {
            // eng/cluster.sh failed: the run goes on and reports the fault as not run, which fails it.
            log($"{fault} failed: {exception.Message}");
            NotRun.Add($"{fault} ({exception.Message.ReplaceLineEndings(" ")})");
        }
    }

    private async Task FailPostgresOverAsync()
    {
        log("postgresql: stop the primary hard (pg_ctl stop -m immediate)");
        await PostgresCluster.CrashPrimaryAsync();
        var down = clock.Elapsed;
        var downAt = DateTimeOffset.UtcNow;
        await Task.Delay(options.PromoteAfter);
        log("postgresql: promote the standby");
        await PostgresCluster.PromoteAsync();
        var whole = clock.Elapsed;
        Done.Add(new Fault(DatabaseFailover, $"standby promoted {(whole - down).TotalSeconds:F1} s after the crash", down, whole, downAt));
    }

    private async Task StopLeadingNodeAsync()
    {
        var leaders = await virtualHost.QuorumQueueLeadersAsync();
        if (leaders.Count == 0)
        {
            NotRun.Add($"{BrokerNodeStop} (no quorum queue in the virtual host)");
            return;
        }

        var (leader, led) = leaders.Values.GroupBy(node => node, StringComparer.Ordinal)
            .Select(group => (Node: group.Key, Count: group.Count()))
            .OrderByDescending(node => node.Count)
            .First();
        var number = RabbitMqCluster.NodeNumber(leader);
        log($"rabbitmq: stop {leader}, the leader of {led} of {leaders.Count} quorum queues");
        // The shutdown closes the node's connections first: the fault takes effect as the command starts.
        var stopping = clock.Elapsed;
        var stoppingAt = DateTimeOffset.UtcNow;
        var stopped = stopping;
        try
        {
            await RabbitMqCluster.StopNodeAsync(number);
            stopped = clock.Elapsed;
            await Task.Delay(options.NodeDownFor);
        }
        finally
        {
            log($"rabbitmq: start {leader} again");
            await RabbitMqCluster.StartNodeAsync(number);
        }

        var whole = clock.Elapsed;
        var detail = $"{leader} led {led} of {leaders.Count} quorum queues; its shutdown took {(stopped - stopping).TotalSeconds:F1} s, "
            + $"then down {options.NodeDownFor.TotalSeconds:F0} s, its start {(whole - stopped - options.NodeDownFor).TotalSeconds:F1} s";
        Done.Add(new Fault(BrokerNodeStop, detail, stopping, whole, stoppingAt));
    }
}
