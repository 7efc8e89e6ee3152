using System.Globalization;

namespace Inbox.Chaos;

/// <summary>What the chaos run does; <c>--ci</c> is the CI-sized preset. Every loop is bounded in count and time.</summary>
internal sealed record ChaosOptions
{
    public int Submissions { get; init; } = 10_000;

    public double DuplicateRate { get; init; } = 0.3;

    public int HotKeys { get; init; } = 20;

    public int HotKeyClients { get; init; } = 20;

    public int Clients { get; init; } = 24;

    /// <summary>Submissions started per second, so the faults land while the load runs.</summary>
    public double Rate { get; init; } = 80;

    public int WorkerKills { get; init; } = 12;

    public TimeSpan KillEvery { get; init; } = TimeSpan.FromSeconds(3);

    public bool KillApi { get; init; } = true;

    public bool RestartBroker { get; init; } = true;

    public bool RestartDatabase { get; init; } = true;

    public double FailRate { get; init; } = 0.05;

    public double StallRate { get; init; } = 0.02;

    public int StallMilliseconds { get; init; } = 4000;

    public TimeSpan Quiescence { get; init; } = TimeSpan.FromMinutes(4);

    public int Seed { get; init; } = 20261123;

    /// <summary>
    /// On eng/cluster.sh's engines instead of the single servers: the multi-host PostgreSQL string and three AMQP
    /// hosts with quorum queues. The broker and database faults become a RabbitMQ node stop (one that leads quorum
    /// queues) and a PostgreSQL failover (the primary stopped hard, the standby promoted); the single servers are not touched.
    /// </summary>
    public bool Cluster { get; init; }

    /// <summary>How long the stopped RabbitMQ node stays down before it is started again (cluster mode).</summary>
    public TimeSpan NodeDownFor { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Between the primary's crash and the promotion: the time a failover manager takes to decide (cluster mode).</summary>
    public TimeSpan PromoteAfter { get; init; } = TimeSpan.FromSeconds(3);

    public static ChaosOptions Parse(string[] args)
    {
        var options = args.Contains("--ci")
            ? new ChaosOptions { Submissions = 1_000, Rate = 25, WorkerKills = 4, KillEvery = TimeSpan.FromSeconds(4), RestartDatabase = false, Quiescence = TimeSpan.FromMinutes(2) }
            : new ChaosOptions();
        if (args.Contains("--cluster"))
        {
            // Both failovers even in the CI size, and load enough to span them one after the other (about 80 s at 25/s).
            options = options with { Cluster = true, RestartDatabase = true, Submissions = args.Contains("--ci") ? 2_000 : options.Submissions };
        }

        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            options = args[i] switch
            {
                "--ci" or "--cluster" => options,
                "--submissions" => options with { Submissions = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--duplicate-rate" => options with { DuplicateRate = double.Parse(Next(), CultureInfo.InvariantCulture) },
                "--clients" => options with { Clients = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--rate" => options with { Rate = double.Parse(Next(), CultureInfo.InvariantCulture) },
                "--worker-kills" => options with { WorkerKills = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--no-api-kill" => options with { KillApi = false },
                "--no-broker-restart" => options with { RestartBroker = false },
                "--no-database-restart" => options with { RestartDatabase = false },
                "--fail-rate" => options with { FailRate = double.Parse(Next(), CultureInfo.InvariantCulture) },
                "--stall-rate" => options with { StallRate = double.Parse(Next(), CultureInfo.InvariantCulture) },
                "--seed" => options with { Seed = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--node-down-seconds" => options with { NodeDownFor = TimeSpan.FromSeconds(double.Parse(Next(), CultureInfo.InvariantCulture)) },
                "--promote-after-seconds" => options with { PromoteAfter = TimeSpan.FromSeconds(double.Parse(Next(), CultureInfo.InvariantCulture)) },
                var unknown => throw new ArgumentException($"Unknown option {unknown}. Options: --ci --cluster --submissions N --duplicate-rate R --clients N --rate N --worker-kills N --no-api-kill --no-broker-restart --no-database-restart --fail-rate R --stall-rate R --seed N --node-down-seconds S --promote-after-seconds S"),
            };
        }

        return options;
    }
}
