using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Inbox.Diagnostics;
using Inbox.Testing;
using RabbitMQ.Client;

namespace Inbox.Benchmarks.Scale;

/// <summary>
/// The sample stack as real processes on one RabbitMQ virtual host (quorum queues, one member) and one PostgreSQL
/// database: the downstream simulator, API processes and worker processes, started and stopped by the scenario.
/// </summary>
internal sealed class ScaleStack : IAsyncDisposable
{
    public const int DownstreamLatencyMilliseconds = 20;
    private readonly Dictionary<string, string> _configuration;
    private readonly string _workingDirectory;
    private readonly Uri _rabbit;
    private readonly List<AppProcess> _apis = [];
    private readonly List<HttpClient> _apiClients = [];

    private ScaleStack(AppProcess downstream, Dictionary<string, string> configuration, string workingDirectory, string postgres, Uri rabbit)
    {
        Downstream = downstream;
        _configuration = configuration;
        _workingDirectory = workingDirectory;
        Postgres = postgres;
        _rabbit = rabbit;
    }

    public AppProcess Downstream { get; }

    public string Postgres { get; }

    public IReadOnlyList<AppProcess> Apis => _apis;

    public IReadOnlyList<HttpClient> ApiClients => _apiClients;

    public static async Task<ScaleStack> StartAsync(string postgres, Uri rabbit, string workingDirectory)
    {
        // The simulator's stall at rate 1.0 is its latency: every call is recorded, then answered 20 ms later.
        var downstream = await AppProcess.StartAsync("Inbox.Samples.Downstream", AppProcess.FreePort(), new Dictionary<string, string>
        {
            ["Simulator__StallRate"] = "1",
            ["Simulator__StallMilliseconds"] = DownstreamLatencyMilliseconds.ToString(CultureInfo.InvariantCulture),
        }, workingDirectory);

        var configuration = SampleStack.Configuration(postgres, rabbit, downstream.BaseAddress);
        configuration["Messaging__QuorumSize"] = "1";
        configuration["Diagnostics__InboxCounters"] = "true";
        // The backlog waits in the queues while no worker runs: the relay must not publish it a second time meanwhile.
        configuration["Inbox__RelayDelaySeconds"] = "3600";
        configuration["Logging__LogLevel__Default"] = "Warning";
        return new ScaleStack(downstream, configuration, workingDirectory, postgres, rabbit);
    }

    /// <summary>Starts API processes until <paramref name="count"/> run.</summary>
    public async Task EnsureApisAsync(int count)
    {
        var started = await Task.WhenAll(Enumerable.Range(_apis.Count, Math.Max(0, count - _apis.Count)).Select(_ =>
            AppProcess.StartAsync("Inbox.Samples.Api", AppProcess.FreePort(), _configuration, _workingDirectory, timeout: TimeSpan.FromSeconds(120))));
        foreach (var api in started)
        {
            _apis.Add(api);
            _apiClients.Add(new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 512, PooledConnectionLifetime = TimeSpan.FromMinutes(10) })
            {
                BaseAddress = api.BaseAddress,
                Timeout = TimeSpan.FromSeconds(60),
                DefaultRequestHeaders = { Authorization = new AuthenticationHeaderValue("Bearer", "sk_test_org_a") },
            });
        }
    }

    /// <summary>Starts <paramref name="count"/> worker processes at once, each running <paramref name="concurrency"/> messages per endpoint (null: MassTransit's default).</summary>
    public async Task<AppProcess[]> StartWorkersAsync(int count, int? concurrency)
    {
        var configuration = new Dictionary<string, string>(_configuration);
        if (concurrency is { } limit)
        {
            configuration["Messaging__PrefetchCount"] = limit.ToString(CultureInfo.InvariantCulture);
            configuration["Messaging__ConcurrentMessageLimit"] = limit.ToString(CultureInfo.InvariantCulture);
        }

        return await Task.WhenAll(Enumerable.Range(0, count).Select(_ =>
            AppProcess.StartAsync("Inbox.Samples.Worker", AppProcess.FreePort(), configuration, _workingDirectory, timeout: TimeSpan.FromSeconds(120))));
    }

    /// <summary>Sends <paramref name="count"/> submissions of one kind through the API processes, round robin, from <paramref name="clients"/> clients.</summary>
    public async Task<Result> SubmitAsync(string name, ScaleCase kind, string run, int count, int clients, int apis)
    {
        var recorder = new Recorder(count);
        var next = -1;
        var failures = 0;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(async client =>
        {
            var http = _apiClients[client % apis];
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                var start = System.Diagnostics.Stopwatch.GetTimestamp();
                using var request = new HttpRequestMessage(HttpMethod.Post, kind.Path) { Content = new StringContent(kind.Body(i), Encoding.UTF8, "application/json") };
                request.Headers.Add("Idempotency-Key", $"{run}-{i}");
                using var response = await http.SendAsync(request);
                await response.Content.ReadAsByteArrayAsync();
                recorder.Record(System.Diagnostics.Stopwatch.GetTimestamp() - start);
                if (response.StatusCode != System.Net.HttpStatusCode.Accepted)
                {
                    Interlocked.Increment(ref failures);
                }
            }
        }));
        var result = recorder.Finish(name, clients, clock.Elapsed);
        return failures == 0 ? result : throw new InvalidOperationException($"{name}: {failures} of {count} submissions were not accepted.");
    }

    /// <summary>Messages this worker's inbox ran and committed since it started.</summary>
    public static async Task<long> ConsumedAsync(AppProcess worker) => (await CountersAsync(worker)).GetValueOrDefault(InboxDiagnostics.MessagesConsumed);

    /// <summary>This worker's Inbox counters since it started (consumed, deferred on a live lease, leases taken over...).</summary>
    public static async Task<Dictionary<string, long>> CountersAsync(AppProcess worker)
    {
        using var client = new HttpClient { BaseAddress = worker.BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
        return await client.GetFromJsonAsync<Dictionary<string, long>>("diagnostics/inbox-counters") ?? [];
    }

    /// <summary>Methods this process has compiled since it started, and the JIT time they took.</summary>
    public static async Task<(long Methods, TimeSpan Compilation)> JitAsync(AppProcess process)
    {
        using var client = new HttpClient { BaseAddress = process.BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
        var jit = await client.GetFromJsonAsync<Dictionary<string, double>>("diagnostics/jit") ?? [];
        return ((long)jit.GetValueOrDefault("compiled_methods"), TimeSpan.FromMilliseconds(jit.GetValueOrDefault("compilation_ms")));
    }

    public static async Task ClearReceiveDurationsAsync(AppProcess worker)
    {
        using var client = new HttpClient { BaseAddress = worker.BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
        (await client.DeleteAsync("diagnostics/receive-durations")).EnsureSuccessStatusCode();
    }

    /// <summary>MassTransit's receive duration of every message since the last clear, in milliseconds.</summary>
    public static async Task<double[]> ReceiveDurationsAsync(AppProcess worker)
    {
        using var client = new HttpClient { BaseAddress = worker.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        return await client.GetFromJsonAsync<double[]>("diagnostics/receive-durations") ?? [];
    }

    /// <summary>The simulator's record of one kind of effect: every call, and how many distinct downstream keys they carried.</summary>
    public async Task<(int Calls, int DistinctKeys)> EffectsAsync(string kind)
    {
        using var client = new HttpClient { BaseAddress = Downstream.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        using var json = System.Text.Json.JsonDocument.Parse(await client.GetStringAsync("effects"));
        var effects = json.RootElement.GetProperty(kind);
        return (effects.GetProperty("calls").GetInt32(), effects.GetProperty("distinct_keys").GetInt32());
    }

    public async Task ClearEffectsAsync()
    {
        using var client = new HttpClient { BaseAddress = Downstream.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        (await client.DeleteAsync("effects")).EnsureSuccessStatusCode();
    }

    /// <summary>Messages waiting in a queue (ready, not yet delivered).</summary>
    public async Task<uint> QueueDepthAsync(string queue)
    {
        await using var connection = await new ConnectionFactory { Uri = _rabbit }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        return (await channel.QueueDeclarePassiveAsync(queue)).MessageCount;
    }

    /// <summary>
    /// Waits (at most 30 s) until <paramref name="queue"/> holds <paramref name="messages"/> messages; returns its depth.
    /// The API answers before it publishes (PublishTiming.AfterResponse, its default), so the last messages arrive after
    /// the last 202.
    /// </summary>
    public async Task<uint> WaitQueuedAsync(string queue, int messages)
    {
        var depth = await QueueDepthAsync(queue);
        var waiting = Stopwatch.StartNew();
        while (depth < messages && waiting.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(50));
            depth = await QueueDepthAsync(queue);
        }

        return depth;
    }

    public async Task PurgeAsync(string queue)
    {
        await using var connection = await new ConnectionFactory { Uri = _rabbit }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        await channel.QueuePurgeAsync(queue);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _apiClients)
        {
            client.Dispose();
        }

        foreach (var api in _apis)
        {
            await api.DisposeAsync();
        }

        await Downstream.DisposeAsync();
    }
}
