using System.Diagnostics;
using Inbox.MassTransit;
using Inbox.Publishing;
using Inbox.Testing;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Inbox.Benchmarks.Consume;

/// <summary>
/// The same consumer with and without the inbox: messages are pre-loaded into a fresh queue, then the endpoint
/// is connected and timed until it has consumed them all. Variants alternate within each round.
/// </summary>
public static class ConsumeScenario
{
    internal sealed record Variant(
        string Name, bool Inbox, bool Leased, bool WithOperation, ConsumerShape Shape = ConsumerShape.OneRow, bool SavedByInbox = false);

    internal static readonly Variant[] Variants =
    [
        new("bare consumer", Inbox: false, Leased: false, WithOperation: false),
        new("transactional inbox", Inbox: true, Leased: false, WithOperation: false),
        new("transactional inbox + operation", Inbox: true, Leased: false, WithOperation: true),
        new("leased, no-op effect", Inbox: true, Leased: true, WithOperation: false),
        new("saved by inbox", Inbox: true, Leased: false, WithOperation: false, ConsumerShape.LeaveTracked, SavedByInbox: true),
        new("saved by inbox + operation", Inbox: true, Leased: false, WithOperation: true, ConsumerShape.LeaveTracked, SavedByInbox: true),
        new("bare, own transaction", Inbox: false, Leased: false, WithOperation: false, ConsumerShape.OwnTransaction),
    ];

    /// <summary>PostgreSQL and RabbitMQ: the production shape.</summary>
    public static async Task RunAsync(BenchOptions options)
    {
        await using var database = await PostgresServer.CreateDatabaseAsync();
        await using var rabbit = await RabbitMqServer.CreateVirtualHostAsync();
        // BENCH_NPGSQL adds connection-string settings, e.g. "Max Auto Prepare=20" to let Npgsql prepare EF Core's statements.
        var settings = Environment.GetEnvironmentVariable("BENCH_NPGSQL");
        using var host = await StartHostAsync(settings is null ? database.ConnectionString : $"{database.ConnectionString};{settings}", rabbit.AmqpUri);
        await RunVariantsAsync(options, host, settings is null ? "PostgreSQL + RabbitMQ" : $"PostgreSQL ({settings}) + RabbitMQ", Variants);
    }

    /// <summary>The embedded default: SQLite (WAL) and MassTransit's in-memory transport, in one process.</summary>
    public static async Task RunEmbeddedAsync(BenchOptions options)
    {
        using var database = SqliteDatabase.Create();
        using var host = await StartHostAsync(
            db => db.UseSqlite(database.ConnectionString),
            bus => bus.UsingInMemory());
        await using (var scope = host.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<BenchDbContext>().Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
        }

        // The operation variants seed their rows with PostgreSQL's generate_series; the others tell the story.
        await RunVariantsAsync(options, host, "SQLite + in-memory transport", Variants.Where(v => !v.WithOperation).ToArray());
    }

    private static async Task RunVariantsAsync(BenchOptions options, IHost host, string title, Variant[] available)
    {
        var levels = options.Concurrency.Length > 0 ? options.Concurrency : options.Quick ? [8] : [1, 8, 32];
        Console.Error.WriteLine($"consume ({title}): {options.Messages} messages per run, {options.Rounds} round(s), concurrency {string.Join(",", levels)}");

        var only = Environment.GetEnvironmentVariable("BENCH_VARIANTS");
        var variants = only is null ? available : available.Where(v => only.Split(';').Contains(v.Name)).ToArray();
        var rounds = new List<IReadOnlyList<Result>>();
        foreach (var concurrency in levels)
        {
            foreach (var variant in variants)
            {
                await RunOnceAsync(host.Services, variant, Math.Max(concurrency, 8), options.Warmup);
            }

            for (var round = 0; round < options.Rounds; round++)
            {
                var results = new List<Result>();
                var order = round % 2 == 0 ? variants : variants.Reverse().ToArray();
                foreach (var variant in order)
                {
                    var result = await RunOnceAsync(host.Services, variant, concurrency, options.Messages);
                    Console.Error.WriteLine($"  {variant.Name} c={concurrency}: {result.PerSecond:F0} msg/s");
                    results.Add(result);
                }

                if (rounds.Count <= round)
                {
                    rounds.Add(results);
                }
                else
                {
                    rounds[round] = rounds[round].Concat(results).ToList();
                }
            }
        }

        Table.Print($"consume (pre-loaded queue, {title})", "msg", rounds, Variants[0].Name);

        // End to end: the endpoint runs first, then the messages are sent; latency is from send to consumed.
        var endToEnd = new List<Result>();
        var level = levels.Max();
        foreach (var variant in variants)
        {
            var result = await RunOnceAsync(host.Services, variant, level, options.Messages, endToEnd: true);
            Console.Error.WriteLine($"  end to end {variant.Name} c={level}: {result.PerSecond:F0} msg/s");
            endToEnd.Add(result);
        }

        Table.Print($"consume, end to end ({title}; sent while consuming, latency from send)", "msg", [endToEnd], Variants[0].Name);
        await host.StopAsync();
    }

    internal static Task<IHost> StartHostAsync(string connectionString, Uri rabbit) => StartHostAsync(
        db => db.UseNpgsql(connectionString),
        bus => bus.UsingRabbitMq((_, cfg) => cfg.Host(rabbit)));

    private static async Task<IHost> StartHostAsync(Action<DbContextOptionsBuilder> database, Action<IBusRegistrationConfigurator> transport)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        if (Environment.GetEnvironmentVariable("BENCH_LOG") == "1")
        {
            builder.Logging.AddConsole();
        }

        builder.Services.AddDbContextPool<BenchDbContext>(database);
        builder.Services.AddInbox().UseEntityFrameworkCore<BenchDbContext>(o =>
        {
            o.EnableRelay = o.EnableSweeper = false;
            o.SweepLoadShare = double.TryParse(Environment.GetEnvironmentVariable("BENCH_SWEEP_SHARE"), System.Globalization.CultureInfo.InvariantCulture, out var share) ? share : o.SweepLoadShare;
            o.SweepBatchSize = int.TryParse(Environment.GetEnvironmentVariable("BENCH_SWEEP_BATCH"), out var batch) ? batch : o.SweepBatchSize;
        }).UseMassTransit();
        builder.Services.AddSingleton<ConsumeProgress>();
        builder.Services.Configure<MassTransitHostOptions>(o => o.WaitUntilStarted = true);
        builder.Services.AddMassTransit(x =>
        {
            x.AddConsumer<RowConsumer>();
            x.AddConsumer<NoopEffectConsumer>();
            transport(x);
        });

        var host = builder.Build();
        await using (var scope = host.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<BenchDbContext>().Database.EnsureCreatedAsync();
        }

        await host.StartAsync();
        return host;
    }

    internal static async Task<Result> RunOnceAsync(
        IServiceProvider services, Variant variant, int concurrency, int count, bool keepTables = false, bool endToEnd = false)
    {
        await ClearAsync(services, keepTables ? ["bench_rows"] : ["bench_rows", "inbox_entries", "inbox_operations"]);

        var queue = $"bench-{Guid.NewGuid():N}";
        var operations = variant.WithOperation ? await SeedOperationsAsync(services, count) : null;

        // The in-memory transport drops messages sent to a queue no endpoint has bound yet: there the endpoint is
        // connected first and held at a gate until the queue is loaded.
        var inMemory = services.GetRequiredService<IBus>().Address.Scheme == "loopback";
        var progress = services.GetRequiredService<ConsumeProgress>();
        progress.Start(count, gated: inMemory && !endToEnd);
        if (!endToEnd && !inMemory)
        {
            await PreloadAsync(services, queue, count, operations);
        }

        progress.SetResults = variant.WithOperation;
        progress.Shape = variant.Shape;
        var recorder = new Recorder(count);
        var connector = services.GetRequiredService<IReceiveEndpointConnector>();
        var handle = connector.ConnectReceiveEndpoint(queue, (context, endpoint) =>
        {
            endpoint.PrefetchCount = concurrency;
            endpoint.ConcurrentMessageLimit = concurrency;
            endpoint.UseFilter(new TimingFilter(() => recorder, progress));
            if (variant.Inbox)
            {
                endpoint.UseIdempotentInbox(context, o =>
                {
                    o.Retry = r => r.Immediate(1);
                    if (variant.SavedByInbox)
                    {
                        o.Consumer<RowConsumer>(InboxMode.SavedByInbox);
                    }
                });
            }

            if (variant.Leased)
            {
                endpoint.ConfigureConsumer<NoopEffectConsumer>(context);
            }
            else
            {
                endpoint.ConfigureConsumer<RowConsumer>(context);
            }
        });

        await handle.Ready;
        if (progress.Gated)
        {
            await PreloadAsync(services, queue, count, operations);
        }

        var cpu = new CpuMeter();
        var clock = Stopwatch.StartNew();
        progress.OpenGate();
        if (endToEnd)
        {
            await PreloadAsync(services, queue, count, operations, stamp: true);
        }

        await progress.Completed.WaitAsync(TimeSpan.FromMinutes(10));
        var wall = clock.Elapsed;
        await handle.StopAsync();
        return recorder.Finish(variant.Name, concurrency, wall, cpu);
    }

    private static async Task PreloadAsync(IServiceProvider services, string queue, int count, string[]? operations, bool stamp = false)
    {
        var bus = services.GetRequiredService<IBus>();
        var endpoint = await bus.GetSendEndpoint(new Uri($"queue:{queue}"));
        for (var start = 0; start < count; start += 200)
        {
            await Task.WhenAll(Enumerable.Range(start, Math.Min(200, count - start)).Select(i =>
                endpoint.Send(new BenchMessage(i, "row " + i), context =>
                {
                    if (stamp)
                    {
                        context.Headers.Set(TimingFilter.SentHeader, Stopwatch.GetTimestamp());
                    }

                    if (operations is not null)
                    {
                        context.Headers.Set(OperationHeaders.OperationId, operations[i]);
                    }
                })));
        }
    }

    private static async Task<string[]> SeedOperationsAsync(IServiceProvider services, int count)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BenchDbContext>();
        await db.Database.ExecuteSqlRawAsync(BenchSql.SeedOperations("c", count, expired: false));
        return Enumerable.Range(1, count).Select(i => BenchSql.OperationId("c", i)).ToArray();
    }

    private static async Task ClearAsync(IServiceProvider services, string[] tables)
    {
        await using var scope = services.CreateAsyncScope();
        var database = scope.ServiceProvider.GetRequiredService<BenchDbContext>().Database;
        var sql = database.IsNpgsql()
            ? "TRUNCATE " + string.Join(", ", tables)
            : string.Join("; ", tables.Select(table => "DELETE FROM " + table));
        await database.ExecuteSqlRawAsync(sql);
    }
}
