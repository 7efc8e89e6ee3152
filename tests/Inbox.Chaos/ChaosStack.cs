using Inbox.Testing;

namespace Inbox.Chaos;

/// <summary>The sample stack as processes: the simulator, two APIs and two workers, restartable one by one.</summary>
internal sealed class ChaosStack : IAsyncDisposable
{
    private readonly Dictionary<string, string> _configuration;
    private readonly string _workingDirectory;
    private readonly AppProcess?[] _apis = new AppProcess?[2];
    private readonly AppProcess?[] _workers = new AppProcess?[2];
    private readonly int[] _apiPorts = [AppProcess.FreePort(), AppProcess.FreePort()];
    private readonly int[] _workerPorts = [AppProcess.FreePort(), AppProcess.FreePort()];

    private ChaosStack(AppProcess downstream, Dictionary<string, string> configuration, string workingDirectory)
    {
        Downstream = downstream;
        _configuration = configuration;
        _workingDirectory = workingDirectory;
    }

    public AppProcess Downstream { get; }

    public IReadOnlyList<Uri> ApiAddresses => _apiPorts.Select(p => new Uri($"http://127.0.0.1:{p}/")).ToArray();

    /// <summary>What the processes logged as errors, kept past their kills.</summary>
    public ProcessErrors Errors { get; } = new();

    /// <summary>Starts the stack; <paramref name="settings"/> are set on top of the sample's configuration (the cluster's hosts, say).</summary>
    public static async Task<ChaosStack> StartAsync(
        string postgres, Uri rabbit, ChaosOptions options, string workingDirectory, IReadOnlyDictionary<string, string>? settings = null)
    {
        var downstream = await AppProcess.StartAsync("Inbox.Samples.Downstream", AppProcess.FreePort(), new Dictionary<string, string>
        {
            ["Simulator__FailRate"] = options.FailRate.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Simulator__StallRate"] = options.StallRate.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Simulator__StallMilliseconds"] = options.StallMilliseconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }, workingDirectory);

        var configuration = SampleStack.Configuration(postgres, rabbit, downstream.BaseAddress);
        configuration["Downstream__TimeoutSeconds"] = "2";
        configuration["Inbox__LeaseSeconds"] = "8";
        configuration["Inbox__RelayDelaySeconds"] = "10";
        configuration["Inbox__RelayPollSeconds"] = "2";
        configuration["Diagnostics__InboxCounters"] = "true";
        foreach (var (name, value) in settings ?? new Dictionary<string, string>())
        {
            configuration[name] = value;
        }

        var stack = new ChaosStack(downstream, configuration, workingDirectory);
        for (var i = 0; i < 2; i++)
        {
            await stack.StartApiAsync(i);
            await stack.StartWorkerAsync(i);
        }

        return stack;
    }

    // API 0, the one the monkey kills, answers before its publishes (PublishTiming.AfterResponse, the default): a kill loses
    // what it had queued, and the relay must deliver it. API 1 publishes before it answers (BeforeResponse).
    public async Task StartApiAsync(int index) =>
        _apis[index] = await AppProcess.StartAsync(
            "Inbox.Samples.Api", _apiPorts[index],
            new Dictionary<string, string>(_configuration) { ["Api__PublishTiming"] = index == 0 ? "AfterResponse" : "BeforeResponse" },
            _workingDirectory, timeout: TimeSpan.FromSeconds(90), onOutput: Errors.For("api"));

    public async Task StartWorkerAsync(int index) =>
        _workers[index] = await AppProcess.StartAsync(
            "Inbox.Samples.Worker", _workerPorts[index], _configuration, _workingDirectory, timeout: TimeSpan.FromSeconds(90), onOutput: Errors.For("worker"));

    public AppProcess? Api(int index) => _apis[index];

    public AppProcess? Worker(int index) => _workers[index];

    public async Task KillApiAsync(int index)
    {
        if (_apis[index] is { } api)
        {
            await RetireAsync(api);
            _apis[index] = null;
        }
    }

    /// <summary>Inbox counters of the processes already killed, read just before each kill.</summary>
    public Dictionary<string, long> RetiredCounters { get; } = new(StringComparer.Ordinal);

    /// <summary>Inbox counters summed over every API and worker process that has run.</summary>
    public async Task<Dictionary<string, long>> CountersAsync()
    {
        var totals = new Dictionary<string, long>(RetiredCounters, StringComparer.Ordinal);
        foreach (var process in Running)
        {
            foreach (var (name, value) in await ReadCountersAsync(process))
            {
                totals[name] = totals.GetValueOrDefault(name) + value;
            }
        }

        return totals;
    }

    private async Task RetireAsync(AppProcess process)
    {
        foreach (var (name, value) in await ReadCountersAsync(process))
        {
            RetiredCounters[name] = RetiredCounters.GetValueOrDefault(name) + value;
        }

        await process.DisposeAsync();
    }

    public async Task KillWorkerAsync(int index)
    {
        if (_workers[index] is { } worker)
        {
            await RetireAsync(worker);
            _workers[index] = null;
        }
    }

    private static async Task<Dictionary<string, long>> ReadCountersAsync(AppProcess process)
    {
        try
        {
            using var client = new HttpClient { BaseAddress = process.BaseAddress, Timeout = TimeSpan.FromSeconds(1) };
            return await System.Net.Http.Json.HttpClientJsonExtensions.GetFromJsonAsync<Dictionary<string, long>>(client, "diagnostics/inbox-counters") ?? [];
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
        {
            return [];
        }
    }

    public IEnumerable<AppProcess> Running => _apis.Concat(_workers).Where(p => p is not null)!;

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _apis.Concat(_workers))
        {
            if (process is not null)
            {
                await process.DisposeAsync();
            }
        }

        await Downstream.DisposeAsync();
    }
}
