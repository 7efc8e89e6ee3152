using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Inbox.Testing;

/// <summary>
/// One of the sample's processes run for real: <c>dotnet app.dll</c> with its own environment, working
/// directory and port; killed (SIGKILL, like a crash) or stopped on dispose. Keeps the last lines it printed.
/// </summary>
public sealed class AppProcess : IAsyncDisposable
{
    private static readonly ConcurrentDictionary<int, byte> HandedOut = new();
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();
    private readonly Action<string>? _onOutput;

    private AppProcess(Process process, Uri baseAddress, string name, Action<string>? onOutput)
    {
        _process = process;
        BaseAddress = baseAddress;
        Name = name;
        _onOutput = onOutput;
        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public Uri BaseAddress { get; }

    public string Name { get; }

    public string RecentOutput => string.Join(Environment.NewLine, _output);

    /// <summary>The CPU time the process has used so far (user and system), read fresh from the OS.</summary>
    public TimeSpan ProcessorTime
    {
        get
        {
            _process.Refresh();
            return _process.HasExited ? TimeSpan.Zero : _process.TotalProcessorTime;
        }
    }

    /// <summary>
    /// A free TCP port on 127.0.0.1, below Linux's ephemeral range (32768–60999) and above the servers' ports
    /// (RabbitMQ 15672–15675): an outgoing connection never takes it, so a process killed and restarted on it
    /// gets it back. The ephemeral port the OS hands out for port 0 could go to any outgoing connection in between.
    /// </summary>
    public static int FreePort()
    {
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var port = Random.Shared.Next(16_000, 25_000);
            if (!HandedOut.TryAdd(port, 0))
            {
                continue;
            }

            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                return port;
            }
            catch (SocketException)
            {
            }
        }

        throw new InvalidOperationException("No free TCP port between 16000 and 25000 on 127.0.0.1.");
    }

    /// <summary>
    /// Starts <paramref name="project"/>'s built dll on <paramref name="port"/> and waits until <paramref name="readyPath"/> answers 200.
    /// <paramref name="onOutput"/>, if given, sees every line the process prints (the process keeps only the last 200).
    /// </summary>
    public static async Task<AppProcess> StartAsync(
        string project, int port, IReadOnlyDictionary<string, string> environment, string workingDirectory, string readyPath = "/health/ready", TimeSpan? timeout = null,
        Action<string>? onOutput = null)
    {
        var baseAddress = new Uri($"http://127.0.0.1:{port}/");
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(SamplePaths.Dll(project));
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add(baseAddress.ToString().TrimEnd('/'));
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {project}.");
        var app = new AppProcess(process, baseAddress, project, onOutput);
        try
        {
            await app.WaitReadyAsync(readyPath, timeout ?? TimeSpan.FromSeconds(60));
            return app;
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }

    public async Task WaitReadyAsync(string readyPath = "/health/ready", TimeSpan? timeout = null)
    {
        using var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"{Name} exited with code {_process.ExitCode}:{Environment.NewLine}{RecentOutput}");
            }

            try
            {
                using var response = await client.GetAsync(readyPath);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{Name} did not become ready at {readyPath}:{Environment.NewLine}{RecentOutput}");
            }

            await Task.Delay(200);
        }
    }

    /// <summary>Kills the process at once, as a crash would (SIGKILL on Linux).</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        _onOutput?.Invoke(line);
        _output.Enqueue(line);
        while (_output.Count > 200 && _output.TryDequeue(out _))
        {
        }
    }

    public ValueTask DisposeAsync()
    {
        Kill();
        _process.Dispose();
        return ValueTask.CompletedTask;
    }
}
