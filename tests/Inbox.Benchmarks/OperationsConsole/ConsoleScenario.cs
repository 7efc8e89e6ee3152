using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Inbox.EntityFrameworkCore.Model;
using Inbox.Operating;
using Inbox.Operations;
using Inbox.Stores;
using Inbox.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Inbox.Benchmarks.OperationsConsole;

/// <summary>
/// The operations console's reads over a large table: counts, first and next list pages and the detail, through the
/// real <see cref="IOperationConsoleStore"/>, and the two reads a health check makes, each timed one at a time and
/// explained (<c>EXPLAIN (ANALYZE, BUFFERS)</c> of the exact commands EF Core sent); then the counts through the
/// console's HTTP route with its cache, polled (<see cref="ConsoleCountsPolling"/>).
/// </summary>
public static partial class ConsoleScenario
{
    private const int PageSize = 50;
    private const double TargetMilliseconds = 100;

    public static async Task RunAsync(BenchOptions options)
    {
        var total = options.Rows > 0 ? options.Rows : options.Quick ? 20_000 : 1_000_000;
        var iterations = options.Iterations > 0 ? options.Iterations : options.Quick ? 10 : 200;
        var warmup = options.Quick ? 2 : 20;
        await using var database = await PostgresServer.CreateDatabaseAsync();
        var capture = new CommandCapture();
        var services = new ServiceCollection()
            .AddLogging()
            .AddDbContextPool<BenchDbContext>(o => o.UseNpgsql(database.ConnectionString).AddInterceptors(capture));
        services.AddInbox().UseEntityFrameworkCore<BenchDbContext>(o => o.EnableRelay = o.EnableSweeper = false);
        await using var provider = services.BuildServiceProvider();
        await using (var scope = provider.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<BenchDbContext>().Database.EnsureCreatedAsync();
        }

        Console.Error.WriteLine($"console: {total:N0} operations, {iterations} timed reads of each query");
        await SeedAsync(database.ConnectionString, total);

        var (detailIds, deepCursor) = await SampleAsync(database.ConnectionString, total);
        var firstPage = await ReadAsync(provider, store => store.ListAsync(new OperationListQuery { Tenant = null, Limit = PageSize }, default).AsTask());
        var now = DateTimeOffset.UtcNow;
        (string Name, string? Tenant)[] countScopes =
        [
            ("counts, all tenants", null),
            ($"counts, large tenant ({ConsoleSeed.LargeTenant})", ConsoleSeed.LargeTenant),
            ($"counts, small tenant ({ConsoleSeed.SmallTenant})", ConsoleSeed.SmallTenant),
        ];
        var queries = new (string Name, bool Target, Func<IServiceProvider, int, Task<int>> Run)[]
        {
            (countScopes[0].Name, true, (s, _) => Counts(s, countScopes[0].Tenant)),
            (countScopes[1].Name, true, (s, _) => Counts(s, countScopes[1].Tenant)),
            (countScopes[2].Name, true, (s, _) => Counts(s, countScopes[2].Tenant)),
            ("first page, all tenants", true, (s, _) => List(s, new OperationListQuery { Tenant = null, Limit = PageSize })),
            ("first page, status=failed", true, (s, _) => List(s, new OperationListQuery { Tenant = null, Status = OperationStatus.Failed, Limit = PageSize })),
            ("first page, status=accepted", true, (s, _) => List(s, new OperationListQuery { Tenant = null, Status = OperationStatus.Accepted, Limit = PageSize })),
            ($"first page, endpoint={ConsoleSeed.RareEndpoint}", true, (s, _) => List(s, new OperationListQuery { Tenant = null, Endpoint = ConsoleSeed.RareEndpoint, Limit = PageSize })),
            ($"first page, tenant {ConsoleSeed.LargeTenant}", true, (s, _) => List(s, new OperationListQuery { Tenant = ConsoleSeed.LargeTenant, Limit = PageSize })),
            ($"first page, tenant {ConsoleSeed.SmallTenant}", true, (s, _) => List(s, new OperationListQuery { Tenant = ConsoleSeed.SmallTenant, Limit = PageSize })),
            ($"first page, tenant {ConsoleSeed.SmallTenant}, status=failed", true, (s, _) => List(s, new OperationListQuery { Tenant = ConsoleSeed.SmallTenant, Status = OperationStatus.Failed, Limit = PageSize })),
            ("next page by cursor", false, (s, _) => List(s, new OperationListQuery { Tenant = null, After = firstPage.Next, Limit = PageSize })),
            ("page by cursor, 15 days back", false, (s, _) => List(s, new OperationListQuery { Tenant = null, After = deepCursor, Limit = PageSize })),
            ("detail by id", false, (s, i) => Detail(s, detailIds[i % detailIds.Length])),
            ("health: oldest accepted", false, (s, _) => OldestAccepted(s)),
            ("health: failed in the last hour", false, (s, _) => FailedSince(s, now.AddHours(-1))),
        };

        var rows = new List<(string Name, bool Target, double P50, double P95, double P99, int Items, string Plan, bool SeqScan)>();
        foreach (var (name, target, run) in queries)
        {
            for (var i = 0; i < warmup; i++)
            {
                await run(provider, i);
            }

            var ticks = new long[iterations];
            var items = 0;
            for (var i = 0; i < iterations; i++)
            {
                var start = Stopwatch.GetTimestamp();
                items = await run(provider, i);
                ticks[i] = Stopwatch.GetTimestamp() - start;
            }

            Array.Sort(ticks);
            double Percentile(double p) => ticks[Math.Min(ticks.Length - 1, (int)Math.Ceiling(p * ticks.Length) - 1)] * 1000.0 / Stopwatch.Frequency;

            capture.Start();
            await run(provider, 0);
            var plans = await ExplainAsync(database.ConnectionString, capture.Stop());
            var summary = string.Join("; ", plans.Select(Summarize));
            var seqScan = plans.Any(p => p.Contains("Seq Scan on inbox_", StringComparison.Ordinal));
            Console.Error.WriteLine($"  {name}: p99 {Percentile(0.99):F2} ms, {summary}");
            if (options.Plans)
            {
                Console.WriteLine();
                Console.WriteLine($"### {name}");
                foreach (var plan in plans)
                {
                    Console.WriteLine();
                    Console.WriteLine("```");
                    Console.WriteLine(plan);
                    Console.WriteLine("```");
                }
            }

            rows.Add((name, target, Percentile(0.50), Percentile(0.95), Percentile(0.99), items, summary, seqScan));
        }

        Console.WriteLine();
        Console.WriteLine($"## console ({total:N0} operations, PostgreSQL; {iterations} reads of each query, one at a time; page size {PageSize})");
        Console.WriteLine();
        Console.WriteLine("| query | p50 ms | p95 ms | p99 ms | rows | target (< 100 ms p99, no seq scan) | plan: scans |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: | --- | --- |");
        foreach (var row in rows)
        {
            var verdict = !row.Target ? "" : row.P99 < TargetMilliseconds && !row.SeqScan ? "met" : "MISSED";
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {row.Name} | {row.P50:F2} | {row.P95:F2} | {row.P99:F2} | {row.Items} | {verdict} | {row.Plan} |"));
        }

        var polling = options.Seconds > 0 ? TimeSpan.FromSeconds(options.Seconds) : TimeSpan.FromSeconds(options.Quick ? 5 : 40);
        Console.Error.WriteLine($"  counts over HTTP with the cache: polling for {polling.TotalSeconds:F0} s");
        var polled = await ConsoleCountsPolling.RunAsync(database.ConnectionString, countScopes, polling);
        ConsoleCountsPolling.Print(polled, rows.ToDictionary(r => r.Name, r => r.P99), polling, TargetMilliseconds);
    }

    private static async Task SeedAsync(string connectionString, int total)
    {
        var clock = Stopwatch.StartNew();
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await ExecuteAsync(connection, ConsoleSeed.SetSeed);
        for (var from = 0; from < total; from += 250_000)
        {
            await ExecuteAsync(connection, ConsoleSeed.Operations(from, Math.Min(total, from + 250_000), total));
        }

        await ExecuteAsync(connection, ConsoleSeed.Entries);
        var seeded = clock.Elapsed;
        // Fresh statistics, and a visibility map that says every page is visible to all, as autovacuum leaves a table
        // whose old rows no longer change.
        await ExecuteAsync(connection, "VACUUM ANALYZE inbox_operations");
        await ExecuteAsync(connection, "VACUUM ANALYZE inbox_entries");
        await using var size = new NpgsqlCommand(
            "SELECT pg_size_pretty(pg_table_size('inbox_operations')), pg_size_pretty(pg_indexes_size('inbox_operations')), " +
            "(SELECT count(*) FROM inbox_entries), pg_size_pretty(pg_indexes_size('inbox_entries'))", connection);
        await using var reader = await size.ExecuteReaderAsync();
        await reader.ReadAsync();
        Console.Error.WriteLine(
            $"  seeded in {seeded.TotalSeconds:F1} s, vacuumed in {(clock.Elapsed - seeded).TotalSeconds:F1} s: inbox_operations {reader.GetString(0)} " +
            $"(indexes {reader.GetString(1)}), {reader.GetInt64(2):N0} inbox entries (indexes {reader.GetString(3)})");
    }

    /// <summary>Operation ids to read the detail of (with inbox entries), and a cursor halfway down the list.</summary>
    private static async Task<(string[] Ids, OperationCursor Cursor)> SampleAsync(string connectionString, int total)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var ids = new List<string>();
        await using (var sample = new NpgsqlCommand(
            "SELECT operation_id FROM inbox_entries WHERE consumer = @consumer ORDER BY md5(operation_id) LIMIT 500", connection))
        {
            sample.Parameters.AddWithValue("consumer", ConsoleSeed.ConsumerA);
            await using var reader = await sample.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                ids.Add(reader.GetString(0));
            }
        }

        await using var middle = new NpgsqlCommand(
            "SELECT created_at, id FROM inbox_operations ORDER BY created_at DESC, id DESC OFFSET @offset LIMIT 1", connection);
        middle.Parameters.AddWithValue("offset", total / 2);
        await using var row = await middle.ExecuteReaderAsync();
        await row.ReadAsync();
        return ([.. ids], new OperationCursor(row.GetFieldValue<DateTimeOffset>(0), row.GetString(1)));
    }

    private static async Task<T> ReadAsync<T>(IServiceProvider services, Func<IOperationConsoleStore, Task<T>> read)
    {
        await using var scope = services.CreateAsyncScope();
        return await read(scope.ServiceProvider.GetRequiredService<IOperationConsoleStore>());
    }

    private static Task<int> Counts(IServiceProvider services, string? tenant) =>
        ReadAsync(services, async store => (await store.CountAsync(tenant, default)).Counts.Count);

    private static Task<int> List(IServiceProvider services, OperationListQuery query) =>
        ReadAsync(services, async store => (await store.ListAsync(query, default)).Items.Count);

    private static Task<int> Detail(IServiceProvider services, string id) =>
        ReadAsync(services, async store => (await store.FindAsync(null, id, includeBodies: false, default))?.InboxEntries.Count
            ?? throw new InvalidOperationException($"{id} was not found."));

    // The two reads of a health check, as LINQ over the application's context.
    private static async Task<int> OldestAccepted(IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        var oldest = await scope.ServiceProvider.GetRequiredService<BenchDbContext>().Set<InboxOperation>().AsNoTracking()
            .Where(o => o.Status == OperationStatus.Accepted)
            .OrderBy(o => o.CreatedAt)
            .Select(o => (DateTimeOffset?)o.CreatedAt)
            .FirstOrDefaultAsync();
        return oldest is null ? 0 : 1;
    }

    private static async Task<int> FailedSince(IServiceProvider services, DateTimeOffset since)
    {
        await using var scope = services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<BenchDbContext>().Set<InboxOperation>()
            .CountAsync(o => o.Status == OperationStatus.Failed && o.UpdatedAt >= since);
    }

    private static async Task<List<string>> ExplainAsync(string connectionString, IReadOnlyList<(string Sql, NpgsqlParameter[] Parameters)> commands)
    {
        var plans = new List<string>();
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        foreach (var (sql, parameters) in commands)
        {
            await using var explain = new NpgsqlCommand("EXPLAIN (ANALYZE, BUFFERS) " + sql, connection);
            explain.Parameters.AddRange(parameters);
            var lines = new List<string>();
            await using var reader = await explain.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                lines.Add(reader.GetString(0));
            }

            plans.Add(sql + Environment.NewLine + Environment.NewLine + string.Join(Environment.NewLine, lines));
        }

        return plans;
    }

    /// <summary>The scans of one plan, e.g. <c>Index Only Scan using ix_… (heap fetches 0)</c>, and its execution time.</summary>
    private static string Summarize(string plan)
    {
        var scans = ScanNode().Matches(plan).Select(m => m.Groups["scan"].Value.Trim()).Distinct();
        var time = ExecutionTime().Match(plan);
        return string.Join(" + ", scans) + (time.Success ? $" ({time.Groups["ms"].Value} ms)" : "");
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 900 };
        await command.ExecuteNonQueryAsync();
    }

    [GeneratedRegex(@"(?<scan>(Parallel )?(Seq Scan|Index Scan( Backward)?|Index Only Scan( Backward)?|Bitmap Index Scan|Bitmap Heap Scan)( using \S+)? on \S+)")]
    private static partial Regex ScanNode();

    [GeneratedRegex(@"Execution Time: (?<ms>[0-9.]+) ms")]
    private static partial Regex ExecutionTime();
}
