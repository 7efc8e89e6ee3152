using System.Diagnostics;
using System.Globalization;
using Inbox.Testing;
using Npgsql;

namespace Inbox.Benchmarks.Scale;

/// <summary>
/// Scale-out with real processes: 1, 2 and 4 sample workers (then APIs) against one RabbitMQ (quorum queues) and one
/// PostgreSQL. Each worker run pre-loads a backlog through the API while no worker runs, starts the workers together,
/// and times them from the moment the last one is ready until the backlog is drained.
/// </summary>
public static class ScaleScenario
{
    public static async Task RunAsync(BenchOptions options)
    {
        var levels = options.Processes.Length > 0 ? options.Processes : options.Quick ? [1, 2] : [1, 2, 4];
        // Per worker and endpoint: MassTransit's default (prefetch 16 on two cores, concurrency = prefetch), and 4.
        int?[] ioConcurrency = options.Quick ? [4] : [null, 4];
        // --messages N: letters per worker at concurrency 4 (2.4 times as many at 16, which drains them about 3.6 times
        // faster) and claims per run. A full run's backlogs outlast the workers' JIT warm-up (12-48 s; four workers at
        // concurrency 4 drain about 20,000 letters in theirs) and leave 20 s or more to time.
        var ioMessages = options.MessagesGiven ? options.Messages : options.Quick ? 200 : 10_000;
        var cpuMessages = options.MessagesGiven ? options.Messages : options.Quick ? 1_000 : 80_000;
        // The quick run checks that the scenario works: its backlogs are drained before the JIT settles, so it does not wait.
        var warmup = options.Quick ? Warmup.None : Warmup.UntilJitSettles;
        var acceptRequests = options.Quick ? 600 : 10_000;
        var acceptClients = options.Concurrency.Length > 0 ? options.Concurrency[0] : options.Quick ? 16 : 64;
        Console.Error.WriteLine($"scale: processes {string.Join(",", levels)}; letters {ioMessages} x workers, claims {cpuMessages}, accept {acceptRequests} at {acceptClients} clients; busy machines move every figure");

        var total = Stopwatch.StartNew();
        await using var database = await PostgresServer.CreateDatabaseAsync();
        await using var rabbit = await RabbitMqServer.CreateVirtualHostAsync();
        var workingDirectory = Directory.CreateTempSubdirectory("inbox-scale-").FullName;
        await using var stack = await ScaleStack.StartAsync(database.ConnectionString, rabbit.AmqpUri, workingDirectory);
        await stack.EnsureApisAsync(1);

        // One worker declares the queues (they outlive it) and warms PostgreSQL and RabbitMQ up.
        await using (var warm = new WorkerSet(await stack.StartWorkersAsync(1, null)))
        {
            await stack.SubmitAsync("warm letters", ScaleCase.Letter, "warm-l", options.Quick ? 100 : 500, 16, 1);
            await stack.SubmitAsync("warm claims", ScaleCase.Claim, "warm-c", options.Quick ? 100 : 500, 16, 1);
            await warm.WaitConsumedAsync(options.Quick ? 200 : 1_000);
        }

        foreach (var concurrency in ioConcurrency)
        {
            var results = new List<ScaleResult>();
            foreach (var workers in levels)
            {
                results.Add(await RunWorkersAsync(stack, ScaleCase.Letter, workers, concurrency, (concurrency is null ? ioMessages * 12 / 5 : ioMessages) * workers, $"io{concurrency}-{workers}", warmup));
            }

            ScaleResult.Print(
                $"scale, I/O-bound: leased letter consumer, simulator latency {ScaleStack.DownstreamLatencyMilliseconds} ms per call, " +
                $"prefetch = concurrency = {(concurrency?.ToString(CultureInfo.InvariantCulture) ?? "16 (MassTransit's default)")} per worker",
                "msg", results, "MassTransit's receive duration per message (inbox, consumer with its 20 ms call, commits)");
        }

        var cpuResults = new List<ScaleResult>();
        foreach (var workers in levels)
        {
            cpuResults.Add(await RunWorkersAsync(stack, ScaleCase.Claim, workers, null, cpuMessages, $"cpu-{workers}", warmup));
        }

        ScaleResult.Print(
            "scale, CPU-bound: claim consumer (SavedByInbox: claim, claim row and outcome in one batch), prefetch 16 per worker; 2 cores cannot scale it",
            "msg", cpuResults, "MassTransit's receive duration per message (inbox, consumer, commit)");

        var acceptResults = new List<ScaleResult>();
        foreach (var apis in levels)
        {
            acceptResults.Add(await RunApisAsync(stack, apis, acceptRequests, acceptClients, options.Quick ? 200 : 2_000));
        }

        ScaleResult.Print(
            $"scale, accept path: POST /v1/claims through {string.Join(", ", levels)} API processes, {acceptClients} clients round robin, one database; 2 cores cannot scale it",
            "req", acceptResults, "client-side, per request");
        Console.Error.WriteLine($"scale: {total.Elapsed.TotalSeconds:F0} s");
    }

    private static async Task<ScaleResult> RunWorkersAsync(
        ScaleStack stack, ScaleCase kind, int count, int? concurrency, int messages, string run, Warmup warmup)
    {
        await stack.ClearEffectsAsync();
        await stack.SubmitAsync("backlog", kind, run, messages, 32, stack.Apis.Count);
        var backlog = await stack.WaitQueuedAsync(kind.Queue, messages);
        if (backlog < messages)
        {
            throw new InvalidOperationException($"{run}: {backlog} of {messages} messages are in '{kind.Queue}' before the workers start.");
        }

        await using var workers = new WorkerSet(await stack.StartWorkersAsync(count, concurrency));
        // A fresh worker spends its first seconds recompiling its hot methods at tier 1 (about 7 s of CPU for the sample
        // worker): the timing starts once every worker compiles as little as one that has run a while, so that the warm-up
        // is not billed to messages. The quick run starts a moment after the last worker is ready.
        var warm = await workers.WarmUpAsync(warmup);
        var start = DateTimeOffset.UtcNow;
        var before = await workers.SnapshotAsync(clearDurations: true);
        var infrastructure = new CpuMeter();
        var downstreamCpu = stack.Downstream.ProcessorTime;
        await workers.WaitConsumedAsync(messages);
        var after = await workers.SnapshotAsync(clearDurations: false);
        var timed = messages - (int)before.Sum(s => s.Consumed);

        var (succeeded, lastCompleted) = await CompletedAsync(stack.Postgres, run);
        if (succeeded != messages)
        {
            throw new InvalidOperationException($"{run}: {succeeded} of {messages} operations succeeded.");
        }

        var (duplicates, evidence) = kind == ScaleCase.Letter ? await LetterDuplicatesAsync(stack, messages) : await ClaimDuplicatesAsync(stack.Postgres, run, messages);
        if (timed <= 0 || lastCompleted <= start)
        {
            // The backlog ran out during the warm-up: the quick run's small backlogs, workers that start seconds apart on a
            // busy machine, or a JIT that took longer than --messages lasted. Nothing is left to time, but the duplicate
            // check above still ran over every message.
            Console.Error.WriteLine($"  {run}: the backlog was drained before the timing started (the warm-up); raise --messages for a figure");
            return new ScaleResult(count, 0, 0, 0, 0, [], 0, 0, 0, duplicates, "not timed: drained during the warm-up; " + evidence);
        }

        // Lease contention would show as deliveries deferred on another's live lease, or leases taken over.
        var counters = await Task.WhenAll(workers.Processes.Select(ScaleStack.CountersAsync));
        long Sum(string name) => counters.Sum(c => c.GetValueOrDefault(name));
        evidence += $"; {Sum(Inbox.Diagnostics.InboxDiagnostics.DeliveriesDeferred)} deferred, {Sum(Inbox.Diagnostics.InboxDiagnostics.LeaseTakeovers)} takeovers";
        var durations = (await Task.WhenAll(workers.Processes.Select(ScaleStack.ReceiveDurationsAsync))).SelectMany(d => d).Order().ToArray();
        var (_, postgres, rabbit) = infrastructure.PerItem(timed);
        var perWorker = before.Zip(after, (b, a) => a.Consumed == b.Consumed ? 0 : (a.Cpu - b.Cpu).TotalMicroseconds / (a.Consumed - b.Consumed)).ToArray();
        var seconds = (lastCompleted - start).TotalSeconds;
        var simulator = (stack.Downstream.ProcessorTime - downstreamCpu).TotalMicroseconds / timed;
        var workerSeconds = before.Zip(after, (b, a) => (a.Cpu - b.Cpu).TotalSeconds).Sum();
        Console.Error.WriteLine(
            $"  {run}: {count} worker(s), {timed} of {messages} timed (the rest ran during the {warm.Elapsed.TotalSeconds:F0} s warm-up, " +
            $"{warm.Compilation.TotalSeconds / count:F1} s of JIT each), {timed / seconds:F0} msg/s");
        return new ScaleResult(
            count, timed, timed / seconds, ScaleResult.Percentile(durations, 0.50), ScaleResult.Percentile(durations, 0.99), perWorker,
            postgres, rabbit, simulator, duplicates, evidence)
        {
            Cores = (workerSeconds + (Math.Max(0, postgres) + Math.Max(0, rabbit) + simulator) * timed / 1e6) / seconds,
        };
    }

    private static async Task<ScaleResult> RunApisAsync(ScaleStack stack, int count, int requests, int clients, int warmup)
    {
        await stack.EnsureApisAsync(count);
        var run = $"accept-{count}";
        await stack.SubmitAsync("warm", ScaleCase.Claim, run + "w", warmup, clients, count);
        // Purged once the warm-up's last messages are in, so that none arrives during the run and counts as a duplicate.
        await stack.WaitQueuedAsync(ScaleCase.Claim.Queue, warmup);
        await stack.PurgeAsync(ScaleCase.Claim.Queue);

        var apis = stack.Apis.Take(count).ToArray();
        var before = apis.Select(a => a.ProcessorTime).ToArray();
        var infrastructure = new CpuMeter();
        var result = await stack.SubmitAsync(run, ScaleCase.Claim, run, requests, clients, count);
        var (_, postgres, rabbit) = infrastructure.PerItem(requests);
        // Clients take API i = client % count, so each API served its clients' share; counted from the clients.
        var used = apis.Select((api, i) => (api.ProcessorTime - before[i]).TotalMicroseconds).ToArray();
        var perApi = used.Select((microseconds, i) => microseconds / (requests * (double)ClientsOf(i, count, clients) / clients)).ToArray();
        var wall = requests / result.PerSecond;

        var published = await stack.WaitQueuedAsync(ScaleCase.Claim.Queue, requests);
        var (rows, keys) = await OperationsAsync(stack.Postgres, run);
        await stack.PurgeAsync(ScaleCase.Claim.Queue);
        Console.Error.WriteLine($"  {run}: {count} API(s), {result.PerSecond:F0} req/s");
        var duplicates = (int)Math.Max(0, published - requests) + (rows - keys);
        return new ScaleResult(
            count, requests, result.PerSecond, result.P50Milliseconds, result.P99Milliseconds, perApi, postgres, rabbit, 0,
            duplicates, $"{published} messages queued, {rows} operations for {keys} keys")
        {
            Cores = (used.Sum() + (Math.Max(0, postgres) + Math.Max(0, rabbit)) * requests) / 1e6 / wall,
        };
    }

    private static int ClientsOf(int api, int apis, int clients) => Enumerable.Range(0, clients).Count(c => c % apis == api);

    private static async Task<(int Succeeded, DateTimeOffset LastCompleted)> CompletedAsync(string postgres, string run)
    {
        await using var connection = new NpgsqlConnection(postgres);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT count(*), max(updated_at) FROM inbox_operations WHERE status = 2 AND idempotency_key LIKE @prefix", connection);
        command.Parameters.AddWithValue("prefix", run + "-%");
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (Convert.ToInt32(reader.GetInt64(0)), reader.IsDBNull(1) ? DateTimeOffset.MinValue : reader.GetFieldValue<DateTimeOffset>(1));
    }

    private static Task<(int Rows, int Keys)> OperationsAsync(string postgres, string run) => CountsAsync(
        postgres, "SELECT count(*), count(DISTINCT idempotency_key) FROM inbox_operations WHERE idempotency_key LIKE @prefix", run);

    /// <summary>Two counts from one query over the operations whose key starts with <paramref name="run"/>.</summary>
    private static async Task<(int, int)> CountsAsync(string postgres, string sql, string run)
    {
        await using var connection = new NpgsqlConnection(postgres);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("prefix", run + "-%");
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (Convert.ToInt32(reader.GetInt64(0)), Convert.ToInt32(reader.GetInt64(1)));
    }

    /// <summary>The print provider's ledger: every call it received against the distinct downstream keys they carried.</summary>
    private static async Task<(int Duplicates, string Evidence)> LetterDuplicatesAsync(ScaleStack stack, int messages)
    {
        var (calls, keys) = await stack.EffectsAsync("letters");
        if (keys != messages)
        {
            throw new InvalidOperationException($"The print provider saw {keys} distinct letters for {messages} operations.");
        }

        return (calls - keys, $"{calls} calls, {keys} keys");
    }

    /// <summary>Claim rows written for this run's operations against the distinct operations they name.</summary>
    private static async Task<(int Duplicates, string Evidence)> ClaimDuplicatesAsync(string postgres, string run, int messages)
    {
        var (rows, operations) = await CountsAsync(postgres, """
            SELECT count(*), count(DISTINCT c.operation_id) FROM claims c
            JOIN inbox_operations o ON o.id = c.operation_id WHERE o.idempotency_key LIKE @prefix
            """, run);
        if (operations != messages)
        {
            throw new InvalidOperationException($"{operations} of {messages} operations have a claim row.");
        }

        return (rows - operations, $"{rows} rows, {operations} operations");
    }

    /// <summary>Worker processes of one run, killed together on dispose (idle by then: the backlog is drained).</summary>
    private sealed class WorkerSet(AppProcess[] processes) : IAsyncDisposable
    {
        public AppProcess[] Processes => processes;

        /// <summary>Each worker's CPU time and consumed count; <paramref name="clearDurations"/> starts its receive durations afresh.</summary>
        public async Task<(long Consumed, TimeSpan Cpu)[]> SnapshotAsync(bool clearDurations) =>
            await Task.WhenAll(processes.Select(async worker =>
            {
                var cpu = worker.ProcessorTime;
                var consumed = await ScaleStack.ConsumedAsync(worker);
                if (clearDurations)
                {
                    await ScaleStack.ClearReceiveDurationsAsync(worker);
                }

                return (consumed, cpu);
            }));

        /// <summary>
        /// Waits until every worker compiled fewer than <see cref="JitSettling.MethodsPerSecond"/> methods a second over the last
        /// two seconds (at most two minutes); returns how long that took and the JIT time the workers spent until then.
        /// </summary>
        public async Task<(TimeSpan Elapsed, TimeSpan Compilation)> WarmUpAsync(Warmup warmup)
        {
            var clock = Stopwatch.StartNew();
            if (warmup == Warmup.None)
            {
                await Task.Delay(TimeSpan.FromSeconds(0.3));
                return (clock.Elapsed, Compilation(await Task.WhenAll(processes.Select(ScaleStack.JitAsync))));
            }

            var window = TimeSpan.FromSeconds(2);
            var previous = await Task.WhenAll(processes.Select(ScaleStack.JitAsync));
            while (true)
            {
                await Task.Delay(window);
                var current = await Task.WhenAll(processes.Select(ScaleStack.JitAsync));
                var settled = previous.Zip(current, (p, c) => c.Methods - p.Methods).All(compiled => JitSettling.Settled(compiled, window));
                if (settled || clock.Elapsed > TimeSpan.FromMinutes(2))
                {
                    if (!settled)
                    {
                        Console.Error.WriteLine("  the workers' JIT had not settled after 2 minutes: timing anyway");
                    }

                    return (clock.Elapsed, Compilation(current));
                }

                previous = current;
            }
        }

        private static TimeSpan Compilation((long Methods, TimeSpan Compilation)[] jit) => TimeSpan.FromTicks(jit.Sum(c => c.Compilation.Ticks));

        public async Task WaitConsumedAsync(int messages)
        {
            var deadline = Stopwatch.StartNew();
            while ((await Task.WhenAll(processes.Select(ScaleStack.ConsumedAsync))).Sum() < messages)
            {
                if (deadline.Elapsed > TimeSpan.FromMinutes(5))
                {
                    throw new TimeoutException($"The workers consumed fewer than {messages} messages in 5 minutes:{Environment.NewLine}{processes[0].RecentOutput}");
                }

                await Task.Delay(100);
            }
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var process in processes)
            {
                await process.DisposeAsync();
            }
        }
    }
}
