using System.Net;
using System.Text;
using Inbox.AspNetCore;
using Inbox.Benchmarks.Accept;
using Inbox.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Inbox.Benchmarks.AcceptSync;

/// <summary>
/// Synchronous endpoints over real Kestrel on 127.0.0.1 and PostgreSQL: one handler (insert one row, answer 201 with a
/// small JSON body) without idempotency, in transactional mode, in leased mode, and replays of stored responses; the
/// transactional mode and its replays also with <c>ReadBeforeTransactionalClaim</c>.
/// </summary>
public static class AcceptSyncScenario
{
    private const string Body = """{"patientId": "pat_123", "amountCents": 12500}""";

    public static async Task RunAsync(BenchOptions options)
    {
        await using var database = await PostgresServer.CreateDatabaseAsync();
        await using var api = await SyncApi.StartAsync(database.ConnectionString);
        var levels = options.Concurrency.Length > 0 ? options.Concurrency : options.Quick ? [16] : [1, 16, 64];
        Console.Error.WriteLine($"accept-sync: {options.Messages} requests per run, {options.Rounds} round(s), clients {string.Join(",", levels)}");

        var seeds = Math.Min(options.Messages, 5_000);
        await AcceptScenario.LoadAsync("seed", (i, _, _) => api.PostAsync("/transactional", $"seed-{i}"), 16, seeds, "seed", rabbit: null);
        await AcceptScenario.LoadAsync("seed", (i, _, _) => api.PostAsync("/read-first", $"seed-{i}"), 16, seeds, "seed", rabbit: null);
        var variants = new (string Name, Func<int, int, string, Task<HttpStatusCode>> Send)[]
        {
            ("bare handler", (_, _, _) => api.PostAsync("/bare", key: null)),
            ("transactional sync", (i, _, run) => api.PostAsync("/transactional", $"{run}-{i}")),
            ("leased sync", (i, _, run) => api.PostAsync("/leased", $"{run}-{i}")),
            ("replay", (i, _, _) => api.PostAsync("/transactional", $"seed-{i % seeds}")),
            ("transactional sync, read first", (i, _, run) => api.PostAsync("/read-first", $"{run}-{i}")),
            ("replay, read first", (i, _, _) => api.PostAsync("/read-first", $"seed-{i % seeds}")),
        };

        var rounds = await AcceptScenario.RunRoundsAsync(levels, variants, options, rabbit: null);
        Table.Print("accept-sync (HTTP over Kestrel on 127.0.0.1, PostgreSQL)", "req", rounds, "bare handler");
    }

    private sealed class SyncApi : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private readonly HttpClient _client;

        private SyncApi(WebApplication app, Uri address)
        {
            _app = app;
            _client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 512, PooledConnectionLifetime = TimeSpan.FromMinutes(10) })
            {
                BaseAddress = address,
            };
        }

        public static async Task<SyncApi> StartAsync(string connectionString)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.UseKestrelCore().UseUrls("http://127.0.0.1:0");
            builder.Services.AddDbContextPool<BenchDbContext>(o => o.UseNpgsql(connectionString));
            builder.Services.AddIdempotency(o => o.AddPolicy("read-first", policy => policy.ReadBeforeTransactionalClaim = true))
                .UseEntityFrameworkCore<BenchDbContext>(o => o.EnableRelay = o.EnableSweeper = false);
            builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver()));

            var app = builder.Build();
            await using (var scope = app.Services.CreateAsyncScope())
            {
                await scope.ServiceProvider.GetRequiredService<BenchDbContext>().Database.EnsureCreatedAsync();
            }

            app.UseIdempotency();
            app.MapPost("/bare", CreateAsync);
            app.MapPost("/transactional", CreateAsync).WithIdempotency(IdempotencyMode.Transactional);
            app.MapPost("/leased", CreateAsync).WithIdempotency(IdempotencyMode.Leased);
            app.MapPost("/read-first", CreateAsync).WithIdempotency(IdempotencyMode.Transactional, "read-first");
            await app.StartAsync();
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            return new SyncApi(app, new Uri(address));
        }

        // The handler every variant runs: one row through the application's context, 201 with a small body.
        private static async Task<IResult> CreateAsync(BenchRequest request, BenchDbContext db)
        {
            var row = new BenchRow { Id = Guid.NewGuid(), Index = (int)request.AmountCents, Text = request.PatientId };
            db.Rows.Add(row);
            await db.SaveChangesAsync();
            return TypedResults.Created($"/rows/{row.Id}", new { id = row.Id, patient_id = row.Text });
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

        public async ValueTask DisposeAsync()
        {
            _client.Dispose();
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
