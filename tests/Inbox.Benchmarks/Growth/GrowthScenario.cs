using System.Diagnostics;
using System.Globalization;
using System.Text;
using Inbox.Background;
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

        var sizes = Environment.GetEnvironmentVariable("BENCH_SIZES")?.Split(',').Select(int.Parse).ToArray()
            ?? (options.Quick ? [0, 20_000] : [0, 100_000, 1_000_000]);
        var count = options.Messages;
        var transactional = ConsumeScenario.Variants[1];
        Console.Error.WriteLine($"growth: sizes {string.Join(",", sizes)}, {count} requests or messages per figure");

        // Warm everything up; each figure below is then the median of the rounds.
        for (var warm = 0; warm < 2; warm++)
        {
            await AcceptScenario.LoadAsync("warm", (i, _, run) => api.PostAsync("/accept", $"{run}-{i}"), 16, options.Warmup, $"warm{warm}", rabbit.AmqpUri);
            await AcceptScenario.LoadAsync("warm", (i, _, _) => api.PostAsync("/accept", $"warm0-{i % 500}"), 16, options.Warmup, "warm", rabbit.AmqpUri);
            await ConsumeScenario.RunOnceAsync(consumer.Services, transactional, 32, options.Warmup, keepTables: true);
        }

        var rows = new List<(int Size, Result Accept, Result Replay, Result Consume)>();
        var storage = new List<string>();
        var measurement = 0;
        var seeded = 0;
        foreach (var size in sizes)
        {
            await SeedAsync(database.ConnectionString, seeded, size);
            seeded = size;
            if (size > 0)
            {
                storage.AddRange(await StorageAsync(database.ConnectionString, size));
            }

            var (_, accept, replay, consume) = await MeasureAsync(size);
            Console.Error.WriteLine($"  {size:N0} rows: accept {accept.PerSecond:F0}/s, replay {replay.PerSecond:F0}/s, consume {consume.PerSecond:F0}/s");
            rows.Add((size, accept, replay, consume));
        }

        async Task<(int Size, Result Accept, Result Replay, Result Consume)> MeasureAsync(int size)
        {
            var replayKeys = Math.Min(size, 5_000);
            var accepts = new List<Result>();
            var replays = new List<Result>();
            var consumes = new List<Result>();
            for (var round = 0; round < options.Rounds; round++)
            {
                var run = $"g{Interlocked.Increment(ref measurement)}";
                accepts.Add(await AcceptScenario.LoadAsync($"accept at {size:N0}", (i, _, prefix) => api.PostAsync("/accept", $"{prefix}-{i}"), 16, count, run, rabbit.AmqpUri));
                replays.Add(size == 0
                    ? await AcceptScenario.LoadAsync($"replay at {size:N0}", (i, _, _) => api.PostAsync("/accept", $"{run}-{i % 1000}"), 16, count, "r0", rabbit.AmqpUri)
                    : await AcceptScenario.LoadAsync($"replay at {size:N0}", (i, _, _) => api.PostAsync("/accept", $"grow-{1 + i % replayKeys}"), 16, count, "r", rabbit.AmqpUri));
                consumes.Add(await ConsumeScenario.RunOnceAsync(consumer.Services, transactional, 32, count, keepTables: true));
            }

            var accept = MedianRun(accepts);
            var replay = MedianRun(replays);
            var consume = MedianRun(consumes);
            return (size, accept, replay, consume);
        }

        // The process keeps getting faster for a while (tiered JIT with dynamic PGO), which flatters the later,
        // larger sizes. So the empty-table figure is measured again at the end, once the seeded rows are gone.
        await RemoveSeedAsync(database.ConnectionString);
        var again = await MeasureAsync(0);
        rows.Add(again);

        Console.WriteLine();
        Console.WriteLine("## growth (rows already in inbox_operations and inbox_entries)");
        Console.WriteLine();
        Console.WriteLine("| rows | accept req/s | accept p99 ms | replay req/s | replay p99 ms | consume msg/s | consume p99 ms | worst change vs 0 rows (last line) |");
        Console.WriteLine("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        var baseline = rows[^1];
        foreach (var (size, accept, replay, consume) in rows)
        {
            var worst = new[] { accept.PerSecond / baseline.Accept.PerSecond, replay.PerSecond / baseline.Replay.PerSecond, consume.PerSecond / baseline.Consume.PerSecond }.Min();
            Console.WriteLine(FormattableString.Invariant(
                $"| {size:N0} | {accept.PerSecond:F0} | {accept.P99Milliseconds:F1} | {replay.PerSecond:F0} | {replay.P99Milliseconds:F1} | {consume.PerSecond:F0} | {consume.P99Milliseconds:F1} | {(worst - 1) * 100:+0;-0}% |"));
        }

        Console.WriteLine();
        Console.WriteLine("## storage per row (after each fill: the seeded rows plus the measurements' own; after VACUUM ANALYZE)");
        Console.WriteLine();
        Console.WriteLine("| table | rows | heap + TOAST MB | indexes MB | bytes per row, heap / indexes / total | each index, bytes per row |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: | --- |");
        storage.ForEach(Console.WriteLine);

        await SweeperAsync(options, database.ConnectionString, api, consumer.Services, rabbit.AmqpUri);
        await consumer.StopAsync();
    }

    /// <summary>What the two tables and each of their indexes take on disk, per row: the capacity model's growth figures.</summary>
    private static async Task<IReadOnlyList<string>> StorageAsync(string connectionString, int size)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var lines = new List<string>();
        foreach (var table in new[] { "inbox_operations", "inbox_entries" })
        {
            await using var command = new NpgsqlCommand(
                $"""
                SELECT (SELECT count(*) FROM {table}),
                       pg_table_size('{table}'), pg_indexes_size('{table}'),
                       (SELECT string_agg(i.indexrelid::regclass::text || ' ' || pg_relation_size(i.indexrelid), ';' ORDER BY i.indexrelid::regclass::text)
                        FROM pg_index i WHERE i.indrelid = '{table}'::regclass)
                """, connection);
            await using var reader = await command.ExecuteReaderAsync();
            await reader.ReadAsync();
            var count = reader.GetInt64(0);
            var heap = reader.GetInt64(1);
            var indexes = reader.GetInt64(2);
            var perIndex = string.Join(", ", reader.GetString(3).Split(';').Select(entry =>
            {
                var parts = entry.Split(' ');
                return FormattableString.Invariant($"{parts[0]} {long.Parse(parts[1], CultureInfo.InvariantCulture) / (double)count:F0}");
            }));
            lines.Add(FormattableString.Invariant(
                $"| {table} ({size:N0} seeded) | {count:N0} | {heap / 1048576.0:F1} | {indexes / 1048576.0:F1} | {heap / (double)count:F0} / {indexes / (double)count:F0} / {(heap + indexes) / (double)count:F0} | {perIndex} |"));
        }

        return lines;
    }

    private static Result MedianRun(List<Result> runs) => runs.OrderBy(r => r.PerSecond).ElementAt(runs.Count / 2);

    /// <summary>Adds operations (replayable by the bench API: same scope and fingerprint) and inbox entries up to <paramref name="to"/>.</summary>
    private static async Task SeedAsync(string connectionString, int from, int to)
    {
        if (to <= from)
        {
            // No rows to add: still give the planner fresh statistics, as every size gets.
            await VacuumAsync(connectionString);
            return;
        }

        var fingerprint = Convert.ToHexString(RequestFingerprint.Compute("POST", "/accept", Encoding.UTF8.GetBytes(AcceptScenario.Body), isJson: true));
        var clock = Stopwatch.StartNew();
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        for (var start = from; start < to; start += 100_000)
        {
            var end = Math.Min(to, start + 100_000);
            // Rows like the bench API's own: the same scope and fingerprint, and an acceptance of the same size.
            var sql = $$"""
                INSERT INTO inbox_operations (id, tenant_id, endpoint, idempotency_key, fingerprint, status, request_id, response_status,
                    response_headers, response_body, message_type, message_body, result, created_at, updated_at, expires_at, relay_at)
                SELECT 'op_g' || lpad(i::text, 25, '0'), '', 'POST /accept', 'grow-' || i, '\x{{fingerprint}}'::bytea, 2, 'req_growth', 202,
                    '[["Location","/operations/op_g' || lpad(i::text, 25, '0') || '"],["Operation-Location","/operations/op_g' || lpad(i::text, 25, '0') ||
                        '"],["Retry-After","1"],["Content-Type","application/json; charset=utf-8"]]',
                    convert_to('{"data":{"id":"op_g' || lpad(i::text, 25, '0') || '","status":"accepted","status_url":"/operations/op_g' ||
                        lpad(i::text, 25, '0') || '"},"meta":{"request_id":"req_growth000000000000000000"},"error":null}', 'UTF8'),
                    'Inbox.Benchmarks.Accept.BenchSubmitted, Inbox.Benchmarks', '\x7b7d'::bytea, '{"index":1}',
                    now(), now(), now() + interval '1 day', now() + interval '1 day'
                FROM generate_series({{start + 1}}, {{end}}) AS i;
                {{BenchSql.SeedEntries("g", end - start, start)}};
                """;
            await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 600 };
            await command.ExecuteNonQueryAsync();
        }

        await VacuumAsync(connectionString);
        Console.Error.WriteLine($"  seeded {from:N0} -> {to:N0} rows in {clock.Elapsed.TotalSeconds:F0} s");
    }

    private static async Task RemoveSeedAsync(string connectionString)
    {
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync();
            await using var delete = new NpgsqlCommand(
                "DELETE FROM inbox_operations WHERE id LIKE 'op_g%'; DELETE FROM inbox_entries WHERE consumer = 'Seed.Consumer';", connection) { CommandTimeout = 600 };
            await delete.ExecuteNonQueryAsync();
        }

        await VacuumAsync(connectionString);
    }

    private static async Task VacuumAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        foreach (var table in new[] { "inbox_operations", "inbox_entries", "bench_rows" })
        {
            await using var vacuum = new NpgsqlCommand($"VACUUM ANALYZE {table}", connection) { CommandTimeout = 600 };
            await vacuum.ExecuteNonQueryAsync();
        }
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
        var sweeper = services.GetRequiredService<Inbox.Background.RetentionSweeper>();
        var sweepClock = Stopwatch.StartNew();
        var sweeping = Task.Run(() => sweeper.SweepAsync(CancellationToken.None));
        var busy = await AcceptScenario.LoadAsync("accept, sweeper running", (i, _, run) => api.PostAsync("/accept", $"{run}-{i}"), 16, 1_000_000, "s1", rabbit, until: sweeping);
        var acceptDone = sweepClock.Elapsed;
        var deleted = await sweeping;
        var sweepTime = sweepClock.Elapsed;

        // p99 on this machine drifts between runs; the quiet figure is the mean of a run before and one after.
        var after = await AcceptScenario.LoadAsync("accept, no sweeper, after", (i, _, run) => api.PostAsync("/accept", $"{run}-{i}"), 16, count, "s2", rabbit);
        quiet = quiet with
        {
            PerSecond = (quiet.PerSecond + after.PerSecond) / 2,
            P99Milliseconds = (quiet.P99Milliseconds + after.P99Milliseconds) / 2,
        };

        Console.WriteLine();
        var settings = services.GetRequiredService<IOptions<InboxStoreOptions>>().Value;
        Console.WriteLine($"## sweeper ({expired:N0} expired operations, batches of {settings.SweepBatchSize:N0}, load share {settings.SweepLoadShare}, alongside the accept load)");
        Console.WriteLine();
        Console.WriteLine("| figure | value |");
        Console.WriteLine("| --- | ---: |");
        Console.WriteLine(FormattableString.Invariant($"| rows deleted | {deleted:N0} in {sweepTime.TotalSeconds:F1} s |"));
        Console.WriteLine(FormattableString.Invariant($"| delete rate | {deleted / sweepTime.TotalSeconds:N0} rows/s |"));
        Console.WriteLine(FormattableString.Invariant($"| accept without the sweeper (mean of a run before and after) | {quiet.PerSecond:F0} req/s, p99 {quiet.P99Milliseconds:F1} ms |"));
        Console.WriteLine(FormattableString.Invariant($"| accept while it sweeps ({acceptDone.TotalSeconds:F1} s) | {busy.PerSecond:F0} req/s, p99 {busy.P99Milliseconds:F1} ms ({(busy.P99Milliseconds / quiet.P99Milliseconds - 1) * 100:+0;-0}% p99, {(busy.PerSecond / quiet.PerSecond - 1) * 100:+0;-0}% throughput) |"));
    }
}
