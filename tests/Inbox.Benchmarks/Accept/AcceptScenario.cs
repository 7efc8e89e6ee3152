using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Net;
using System.Runtime;
using System.Text;
using System.Text.Json;
using Inbox.AspNetCore;
using Inbox.Diagnostics;
using Inbox.Testing;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RabbitMQ.Client;

namespace Inbox.Benchmarks.Accept;

public sealed record BenchSubmitted(string PatientId, long AmountCents);

public sealed record BenchRequest(string PatientId, long AmountCents);

/// <summary>
/// HTTP submissions over real Kestrel on 127.0.0.1: a plain endpoint that only publishes, an endpoint that inserts
/// one row with EF Core and then publishes (what an API without idempotency does to record a submission), against
/// first submissions through the idempotency contract, replays of existing keys and status reads.
/// </summary>
public static class AcceptScenario
{
    internal const string Body = """{"patientId": "pat_123", "amountCents": 12500}""";
    private const string Sink = "bench-accept-sink";
    private const string PublishAfterResponse = "accept (first, group commit, publish after 202)";
    private static readonly TimeSpan MaxWarmUp = TimeSpan.FromMinutes(3);

    public static async Task RunAsync(BenchOptions options)
    {
        await using var database = await PostgresServer.CreateDatabaseAsync();
        await using var rabbit = await RabbitMqServer.CreateVirtualHostAsync();
        await using var api = await BenchApi.StartAsync(database.ConnectionString, rabbit.AmqpUri);
        // The same application with group commit on, beside it on its own port, so that both alternate in each round.
        await using var grouped = await BenchApi.StartAsync(database.ConnectionString, rabbit.AmqpUri, groupCommit: true);
        // And with the 202 after the commit alone, the publish left to the in-process dispatcher (PublishTiming.AfterResponse).
        await using var dispatched = await BenchApi.StartAsync(database.ConnectionString, rabbit.AmqpUri, groupCommit: true, publishAfterResponse: true);
        // Replays with the connection string the README recommends: Npgsql skips its reset statements per pooled checkout.
        await using var noReset = await BenchApi.StartAsync(database.ConnectionString + ";No Reset On Close=true", rabbit.AmqpUri);
        await BindSinkAsync(api, rabbit.AmqpUri);
        var levels = options.Concurrency.Length > 0 ? options.Concurrency : options.Quick ? [16] : [1, 16, 64];
        Console.Error.WriteLine($"accept: {options.Messages} requests per run, {options.Rounds} round(s), clients {string.Join(",", levels)}");

        var seeded = await api.AcceptManyAsync("seed", Math.Min(options.Messages, 5_000), 16);
        var variants = new (string Name, Func<int, int, string, Task<HttpStatusCode>> Send)[]
        {
            ("plain publish", (i, _, _) => api.PostAsync("/plain", null)),
            ("insert + publish", (i, _, _) => api.PostAsync("/insert-publish", null)),
            ("accept (first)", (i, _, run) => api.PostAsync("/accept", $"{run}-{i}")),
            ("accept (first, group commit)", (i, _, run) => grouped.PostAsync("/accept", $"{run}-{i}")),
            (PublishAfterResponse, (i, _, run) => dispatched.PostAsync("/accept", $"{run}-{i}")),
            ("accept (replay)", (i, _, _) => api.PostAsync("/accept", $"seed-{i % seeded.Length}")),
            ("accept (replay), No Reset On Close", (i, _, _) => noReset.PostAsync("/accept", $"seed-{i % seeded.Length}")),
            ("status read", (i, _, _) => api.GetAsync($"/operations/{seeded[i % seeded.Length]}")),
        };
        if (options.Only is { } only)
        {
            variants = variants.Where(v => v.Name.Contains(only, StringComparison.Ordinal)).ToArray();
        }

        long batches = 0, batchedRows = 0;
        using var batchSizes = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == InboxDiagnostics.Name && instrument.Name == InboxDiagnostics.AcceptBatchSize)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        batchSizes.SetMeasurementEventCallback<int>((_, size, _, _) =>
        {
            Interlocked.Increment(ref batches);
            Interlocked.Add(ref batchedRows, size);
        });
        batchSizes.Start();

        // A 202 that did not wait for its publish would let the run end before its messages reach the broker: that
        // variant's clock (and CPU) runs until the sink queue holds every message its run published.
        var rounds = await RunRoundsAsync(levels, variants, options, rabbit.AmqpUri,
            settle: (name, count) => name == PublishAfterResponse ? AwaitSinkAsync(rabbit.AmqpUri, count) : Task.CompletedTask);
        Table.Print("accept (HTTP over Kestrel on 127.0.0.1, PostgreSQL + RabbitMQ)", "req", rounds, "plain publish");
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Group commit: {batchedRows} acceptances in {batches} batches, {(batches == 0 ? 0 : (double)batchedRows / batches):F1} per batch on average (warm-ups and all client levels)."));
        // The peer without idempotency: what a first submission costs over recording the submission at all.
        Table.Print("accept, against insert + publish (the same rounds)", "req", rounds, "insert + publish");
    }

    /// <summary>
    /// For each client level: warm-up cycles of every variant until the process's JIT has settled (one cycle in the quick
    /// run), then <see cref="BenchOptions.Rounds"/> rounds of every variant, the order alternating round by round so that no
    /// variant always runs first.
    /// </summary>
    internal static async Task<List<IReadOnlyList<Result>>> RunRoundsAsync(
        int[] levels, (string Name, Func<int, int, string, Task<HttpStatusCode>> Send)[] variants, BenchOptions options, Uri? rabbit,
        Func<string, int, Task>? settle = null)
    {
        Func<Task>? Settle(string name, int count) => settle is null ? null : () => settle(name, count);
        var rounds = new List<IReadOnlyList<Result>>();
        var run = 0;
        var timedWall = TimeSpan.Zero;
        var timedJit = TimeSpan.Zero;
        long timedMethods = 0;
        foreach (var clients in levels)
        {
            // Every variant runs in this process, so a window timed while the JIT still recompiles hot methods at tier 1
            // bills that CPU to whichever variant runs then: warm up until a whole cycle compiles at a settled rate.
            var warmUp = Stopwatch.StartNew();
            var cycles = 0;
            bool settled;
            do
            {
                var methods = JitInfo.GetCompiledMethodCount();
                var cycle = Stopwatch.StartNew();
                foreach (var variant in variants)
                {
                    await LoadAsync(variant.Name, variant.Send, Math.Max(clients, 8), options.Warmup, $"warm{run++}", rabbit, until: null,
                        Settle(variant.Name, options.Warmup));
                }

                cycles++;
                settled = JitSettling.Settled(JitInfo.GetCompiledMethodCount() - methods, cycle.Elapsed);
            }
            while (!options.Quick && !settled && warmUp.Elapsed < MaxWarmUp);

            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  warm-up c={clients}: {cycles} cycle(s), {warmUp.Elapsed.TotalSeconds:F0} s, JIT {(settled ? "settled" : "not settled")}"));
            for (var round = 0; round < options.Rounds; round++)
            {
                var results = new List<Result>();
                foreach (var variant in round % 2 == 0 ? variants : variants.Reverse())
                {
                    var (methods, compilation, window) = (JitInfo.GetCompiledMethodCount(), JitInfo.GetCompilationTime(), Stopwatch.StartNew());
                    var result = await LoadAsync(variant.Name, variant.Send, clients, options.Messages, $"run{run++}", rabbit, until: null,
                        Settle(variant.Name, options.Messages));
                    var (compiled, jit) = (JitInfo.GetCompiledMethodCount() - methods, JitInfo.GetCompilationTime() - compilation);
                    (timedWall, timedJit, timedMethods) = (timedWall + window.Elapsed, timedJit + jit, timedMethods + compiled);
                    Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"  {variant.Name} c={clients}: {result.PerSecond:F0} req/s, {compiled} methods compiled ({jit.TotalMilliseconds:F0} ms)"));
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

        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"JIT in the timed windows: {timedMethods} methods, {timedJit.TotalMilliseconds:F0} ms of compilation in {timedWall.TotalSeconds:F0} s ({(timedWall == TimeSpan.Zero ? 0 : timedJit / timedWall):P1} of the wall time)."));
        return rounds;
    }

    internal static Task<Result> LoadAsync(string name, Func<int, int, string, Task<HttpStatusCode>> send, int clients, int count, string run, Uri? rabbit) =>
        LoadAsync(name, send, clients, count, run, rabbit, until: null);

    /// <summary>
    /// Sends <paramref name="count"/> requests from <paramref name="clients"/> clients, or as many as fit until
    /// <paramref name="until"/> completes; the clock stops once <paramref name="settle"/> (if any) has completed too.
    /// </summary>
    internal static async Task<Result> LoadAsync(
        string name, Func<int, int, string, Task<HttpStatusCode>> send, int clients, int count, string run, Uri? rabbit, Task? until,
        Func<Task>? settle = null)
    {
        var recorder = new Recorder(count);
        var next = -1;
        var failures = 0;
        var cpu = new CpuMeter();
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(async client =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count && until?.IsCompleted != true)
            {
                var start = Stopwatch.GetTimestamp();
                var status = await send(i, client, run);
                recorder.Record(Stopwatch.GetTimestamp() - start);
                if (status is not (HttpStatusCode.Accepted or HttpStatusCode.OK or HttpStatusCode.Created))
                {
                    Interlocked.Increment(ref failures);
                }
            }
        }));
        if (settle is not null)
        {
            await settle();
        }

        var result = recorder.Finish(name, clients, clock.Elapsed, cpu);
        if (failures > 0)
        {
            throw new InvalidOperationException($"{name}: {failures} of {count} requests failed.");
        }

        if (rabbit is not null)
        {
            await PurgeSinkAsync(rabbit);
        }

        return result;
    }

    internal static async Task BindSinkAsync(BenchApi api, Uri rabbit)
    {
        // Publish once so MassTransit declares the message's exchange, then give it a durable queue, as a worker would.
        await api.PostAsync("/plain", null);
        await using var connection = await new ConnectionFactory { Uri = rabbit }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        await channel.QueueDeclareAsync(Sink, durable: true, exclusive: false, autoDelete: false);
        await channel.QueueBindAsync(Sink, "Inbox.Benchmarks.Accept:BenchSubmitted", "");
    }

    private static async Task AwaitSinkAsync(Uri rabbit, int count)
    {
        await using var connection = await new ConnectionFactory { Uri = rabbit }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        var deadline = Stopwatch.StartNew();
        while (await channel.MessageCountAsync(Sink) < (uint)count)
        {
            if (deadline.Elapsed > TimeSpan.FromMinutes(1))
            {
                throw new InvalidOperationException($"{PublishAfterResponse}: the sink holds {await channel.MessageCountAsync(Sink)} of {count} messages after a minute.");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(2));
        }
    }

    private static async Task PurgeSinkAsync(Uri rabbit)
    {
        await using var connection = await new ConnectionFactory { Uri = rabbit }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        await channel.QueuePurgeAsync(Sink);
    }

    /// <summary>The API under test, on real Kestrel.</summary>
    internal sealed class BenchApi : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private readonly HttpClient _client;

        private BenchApi(WebApplication app, Uri address)
        {
            _app = app;
            _client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 512, PooledConnectionLifetime = TimeSpan.FromMinutes(10) })
            {
                BaseAddress = address,
            };
        }

        public static async Task<BenchApi> StartAsync(string connectionString, Uri rabbit, bool groupCommit = false, bool publishAfterResponse = false)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.UseKestrelCore().UseUrls("http://127.0.0.1:0");
            builder.Services.AddDbContextPool<BenchDbContext>(o => o.UseNpgsql(connectionString));
            builder.Services.AddIdempotency(o => o.PublishTiming = publishAfterResponse ? PublishTiming.AfterResponse : PublishTiming.BeforeResponse)
                .UseEntityFrameworkCore<BenchDbContext>(o =>
            {
                o.EnableRelay = o.EnableSweeper = false;
                o.GroupCommit = groupCommit;
            }).UseMassTransit();
            builder.Services.Configure<MassTransitHostOptions>(o => o.WaitUntilStarted = true);
            builder.Services.AddMassTransit(x => x.UsingRabbitMq((_, cfg) => cfg.Host(rabbit)));
            builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver()));

            var app = builder.Build();
            await using (var scope = app.Services.CreateAsyncScope())
            {
                await scope.ServiceProvider.GetRequiredService<BenchDbContext>().Database.EnsureCreatedAsync();
            }

            app.UseIdempotency();
            app.MapPost("/plain", async (BenchRequest request, IPublishEndpoint publish) =>
            {
                await publish.Publish(new BenchSubmitted(request.PatientId, request.AmountCents));
                return Results.Json(new { data = new { id = Guid.NewGuid().ToString("N"), status = "accepted" } }, statusCode: StatusCodes.Status202Accepted);
            });
            // No idempotency: one autocommitted INSERT through EF Core, then the publish, as a plain API records a submission.
            app.MapPost("/insert-publish", async (BenchRequest request, BenchDbContext db, IPublishEndpoint publish) =>
            {
                var row = new BenchRow { Id = Guid.NewGuid(), Index = (int)request.AmountCents, Text = request.PatientId };
                db.Rows.Add(row);
                await db.SaveChangesAsync();
                await publish.Publish(new BenchSubmitted(request.PatientId, request.AmountCents));
                return Results.Json(new { data = new { id = row.Id.ToString("N"), status = "accepted" } }, statusCode: StatusCodes.Status202Accepted);
            });
            app.MapPost("/accept", (BenchRequest request) => InboxResults.Accept(new BenchSubmitted(request.PatientId, request.AmountCents))).WithIdempotency();
            app.MapOperationStatus("/operations/{id}");
            await app.StartAsync();
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            return new BenchApi(app, new Uri(address));
        }

        public async Task<HttpStatusCode> PostAsync(string path, string? key)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(Body, Encoding.UTF8, "application/json") };
            if (key is not null)
            {
                request.Headers.Add("Idempotency-Key", key);
            }

            using var response = await _client.SendAsync(request);
            await response.Content.ReadAsByteArrayAsync();
            return response.StatusCode;
        }

        public async Task<HttpStatusCode> GetAsync(string path)
        {
            using var response = await _client.GetAsync(path);
            await response.Content.ReadAsByteArrayAsync();
            return response.StatusCode;
        }

        public async Task<string[]> AcceptManyAsync(string prefix, int count, int clients)
        {
            var ids = new string[count];
            var next = -1;
            await Task.WhenAll(Enumerable.Range(0, clients).Select(async _ =>
            {
                int i;
                while ((i = Interlocked.Increment(ref next)) < count)
                {
                    using var request = new HttpRequestMessage(HttpMethod.Post, "/accept") { Content = new StringContent(Body, Encoding.UTF8, "application/json") };
                    request.Headers.Add("Idempotency-Key", $"{prefix}-{i}");
                    using var response = await _client.SendAsync(request);
                    using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
                    ids[i] = json.RootElement.GetProperty("data").GetProperty("id").GetString()!;
                }
            }));
            return ids;
        }

        public async ValueTask DisposeAsync()
        {
            _client.Dispose();
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
