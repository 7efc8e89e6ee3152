using System.Diagnostics;
using System.Text;
using Inbox.Benchmarks.Accept;
using Inbox.Benchmarks.Consume;
using Inbox.EntityFrameworkCore;
using Inbox.Fingerprints;
using Inbox.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Inbox.Benchmarks.Growth;

/// <summary>
/// The accept, replay and consume figures again with many rows already in the operation and inbox tables,
/// and the sweeper's delete rate on a large expired backlog while the accept load runs.
/// </summary>
public static class GrowthScenario
{
    public static async Task RunAsync(BenchOptions options)
    {
        await using var database = await PostgresServer.CreateDatabaseAsync();
        await using var rabbit = await RabbitMqServer.CreateVirtualHostAsync();
        await using var api = await AcceptScenario.BenchApi.StartAsync(database.ConnectionString, rabbit.AmqpUri);
        using var consumer = await ConsumeScenario.StartHostAsync(database.ConnectionString, rabbit.AmqpUri);
        await AcceptScenario.BindSinkAsync(api, rabbit.AmqpUri);

        var sizes = options.Quick ? new[] { 0, 20_000 } : [0, 100_000, 1_000_000];
        var count = options.Messages;
        var transactional = ConsumeScenario.Variants[1];
        Console.Error.WriteLine($"growth: sizes {string.Join(",", sizes)}, {count} requests or messages per figure");

        // Warm everything up once.
        await AcceptScenario.LoadAsync("warm", (i, _, run) => api.PostAsync("/accept", $"warm-{i}"), 16, options.Warmup, "warm", rabbit.AmqpUri);
        await ConsumeScenario.RunOnceAsync(consumer.Services, database.ConnectionString, transactional, 32, options.Warmup, keepTables: true);

        var rows = new List<(int Size, Result Accept, Result Replay, Result Consume)>();
        var seeded = 0;
        foreach (var size in sizes)
        {
            await SeedAsync(database.ConnectionString, seeded, size);
            seeded = size;
            var replayKeys = Math.Min(size, 5_000);
            var accept = await AcceptScenario.LoadAsync($"accept at {size:N0}", (i, _, run) => api.PostAsync("/accept", $"{run}-{i}"), 16, count, $"g{size}", rabbit.AmqpUri);
            var replay = size == 0
                ? await AcceptScenario.LoadAsync($"replay at {size:N0}", (i, _, _) => api.PostAsync("/accept", $"g{size}-{i % 1000}"), 16, count, "r0", rabbit.AmqpUri)
                : await AcceptScenario.LoadAsync($"replay at {size:N0}", (i, _, _) => api.PostAsync("/accept", $"grow-{1 + i % replayKeys}"), 16, count, "r", rabbit.AmqpUri);
            var consume = await ConsumeScenario.RunOnceAsync(consumer.Services, database.ConnectionString, transactional, 32, count, keepTables: true);
            Console.Error.WriteLine($"  {size:N0} rows: accept {accept.PerSecond:F0}/s, replay {replay.PerSecond:F0}/s, consume {consume.PerSecond:F0}/s");
            rows.Add((size, accept, replay, consume));
        }

        Console.WriteLine();
        Console.WriteLine("## growth (rows already in inbox_operations and inbox_entries)");
        Console.WriteLine();
        Console.WriteLine("| rows | accept req/s | accept p99 ms | replay req/s | replay p99 ms | consume msg/s | consume p99 ms | worst change vs 0 rows |");
        Console.WriteLine("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        var baseline = rows[0];
        foreach (var (size, accept, replay, consume) in rows)
        {
            var worst = new[] { accept.PerSecond / baseline.Accept.PerSecond, replay.PerSecond / baseline.Replay.PerSecond, consume.PerSecond / baseline.Consume.PerSecond }.Min();
            Console.WriteLine(FormattableString.Invariant(
                $"| {size:N0} | {accept.PerSecond:F0} | {accept.P99Milliseconds:F1} | {replay.PerSecond:F0} | {replay.P99Milliseconds:F1} | {consume.PerSecond:F0} | {consume.P99Milliseconds:F1} | {(worst - 1) * 100:+0;-0}% |"));
        }

        await SweeperAsync(options, database.ConnectionString, api, consumer.Services, rabbit.AmqpUri);
        await consumer.StopAsync();
    }

    /// <summary>Adds operations (replayable by the bench API: same scope and fingerprint) and inbox entries up to <paramref name="to"/>.</summary>
    private static async Task SeedAsync(string connectionString, int from, int to)
    {
        if (to <= from)
        {
            return;
        }

        var fingerprint = Convert.ToHexString(RequestFingerprint.Compute("POST", "/accept", Encoding.UTF8.GetBytes(AcceptScenario.Body), isJson: true));
        var clock = Stopwatch.StartNew();
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        for (var start = from; start < to; start += 100_000)
        {
            var end = Math.Min(to, start + 100_000);
            var sql = $"""
                INSERT INTO inbox_operations (id, tenant_id, endpoint, idempotency_key, fingerprint, status, request_id, response_status,
                    response_headers, response_body, message_type, message_body, result, created_at, updated_at, expires_at, relay_at)
                SELECT 'op_g' || lpad(i::text, 25, '0'), '', 'POST /accept', 'grow-' || i, '\x{fingerprint}'::bytea, 2, 'req_growth', 202,
                    '[["Content-Type","application/json; charset=utf-8"]]', convert_to('{"{"}"data":{"{"}"id":"op_g' || i || '"{"}"}{"}"}', 'UTF8'),
                    'Inbox.Benchmarks.Accept.BenchSubmitted, Inbox.Benchmarks', '\x7b7d'::bytea, '{"{"}"index":1{"}"}',
                    now(), now(), now() + interval '1 day', now() + interval '1 day'
                FROM generate_series({start + 1}, {end}) AS i;
                {BenchSql.SeedEntries("g", end - start, start)};
                """;
            await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 600 };
            await command.ExecuteNonQueryAsync();
        }

        foreach (var table in new[] { "inbox_operations", "inbox_entries" })
        {
            await using var vacuum = new NpgsqlCommand($"VACUUM ANALYZE {table}", connection) { CommandTimeout = 600 };
            await vacuum.ExecuteNonQueryAsync();
        }

        Console.Error.WriteLine($"  seeded {from:N0} -> {to:N0} rows in {clock.Elapsed.TotalSeconds:F0} s");
    }

    /// <summary>The sweeper on an expired backlog, alone and while the accept load runs.</summary>
    private static async Task SweeperAsync(BenchOptions options, string connectionString, AcceptScenario.BenchApi api, IServiceProvider services, Uri rabbit)
    {
        var expired = options.Quick ? 100_000 : 1_000_000;
        var count = options.Messages;
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync();
            for (var start = 0; start < expired; start += 200_000)
            {
                await using var command = new NpgsqlCommand(BenchSql.SeedOperations("x", Math.Min(200_000, expired - start), expired: true, offset: start), connection) { CommandTimeout = 600 };
                await command.ExecuteNonQueryAsync();
            }

            await using var vacuum = new NpgsqlCommand("VACUUM ANALYZE inbox_operations", connection) { CommandTimeout = 600 };
            await vacuum.ExecuteNonQueryAsync();
        }

        var quiet = await AcceptScenario.LoadAsync("accept, no sweeper", (i, _, run) => api.PostAsync("/accept", $"{run}-{i}"), 16, count, "s0", rabbit);

        // The sweeper's own pass (batches, with its rests between them), while the same accept load runs.
        var sweeper = services.GetRequiredService<Inbox.EntityFrameworkCore.Background.RetentionSweeper>();
        var sweepClock = Stopwatch.StartNew();
        var sweeping = Task.Run(() => sweeper.SweepAsync(CancellationToken.None));
        var busy = await AcceptScenario.LoadAsync("accept, sweeper running", (i, _, run) => api.PostAsync("/accept", $"{run}-{i}"), 16, 1_000_000, "s1", rabbit, until: sweeping);
        var acceptDone = sweepClock.Elapsed;
        var deleted = await sweeping;
        var sweepTime = sweepClock.Elapsed;

        Console.WriteLine();
        Console.WriteLine($"## sweeper ({expired:N0} expired operations, batches of {InboxStoreDefaults.SweepBatchSize:N0}, alongside the accept load)");
        Console.WriteLine();
        Console.WriteLine("| figure | value |");
        Console.WriteLine("| --- | ---: |");
        Console.WriteLine(FormattableString.Invariant($"| rows deleted | {deleted:N0} in {sweepTime.TotalSeconds:F1} s |"));
        Console.WriteLine(FormattableString.Invariant($"| delete rate | {deleted / sweepTime.TotalSeconds:N0} rows/s |"));
        Console.WriteLine(FormattableString.Invariant($"| accept without the sweeper | {quiet.PerSecond:F0} req/s, p99 {quiet.P99Milliseconds:F1} ms |"));
        Console.WriteLine(FormattableString.Invariant($"| accept while it sweeps ({acceptDone.TotalSeconds:F1} s) | {busy.PerSecond:F0} req/s, p99 {busy.P99Milliseconds:F1} ms ({(busy.P99Milliseconds / quiet.P99Milliseconds - 1) * 100:+0;-0}% p99, {(busy.PerSecond / quiet.PerSecond - 1) * 100:+0;-0}% throughput) |"));
    }
}
