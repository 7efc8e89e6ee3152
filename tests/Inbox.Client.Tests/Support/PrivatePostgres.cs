using System.Diagnostics;
using Inbox.Testing;

namespace Inbox.Client.Tests.Support;

/// <summary>
/// A PostgreSQL server of this test's own (initdb into a temporary directory, on a free port), so the test can stop
/// and start it without disturbing the tests that share the machine's server. Needs the PostgreSQL server binaries;
/// as root it runs them as the <c>postgres</c> user, since PostgreSQL refuses to run as root.
/// </summary>
public sealed class PrivatePostgres : IAsyncDisposable
{
    private readonly string _bin;
    private readonly string _data;

    private PrivatePostgres(string bin, string data, int port)
    {
        _bin = bin;
        _data = data;
        Port = port;
    }

    public int Port { get; }

    public string ConnectionString(string database) =>
        $"Host=127.0.0.1;Port={Port};Username=inbox;Database={database};SSL Mode=Disable;Timeout=5";

    /// <summary>Why this machine cannot run one, or <c>null</c> when it can.</summary>
    public static string? Unavailable() =>
        BinDirectory() is null ? "no PostgreSQL server binaries (initdb, pg_ctl) were found"
        : IsRoot && !File.Exists("/usr/sbin/runuser") && !File.Exists("/sbin/runuser") ? "running as root without runuser"
        : null;

    public static async Task<PrivatePostgres> StartAsync()
    {
        var bin = BinDirectory() ?? throw new InvalidOperationException(Unavailable());
        var data = Directory.CreateTempSubdirectory("inbox-private-pg-").FullName;
        if (IsRoot)
        {
            await RunAsync("chown", "postgres", data);
        }

        var server = new PrivatePostgres(bin, data, AppProcess.FreePort());
        await server.PgAsync("initdb", "-D", data, "-U", "inbox", "--auth=trust", "--no-sync", "-E", "UTF8");
        await server.StartServerAsync();
        return server;
    }

    public Task StartServerAsync() => PgAsync(
        "pg_ctl", "-D", _data, "-w", "-l", Path.Combine(_data, "server.log"),
        "-o", $"-p {Port} -k {_data} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=50", "start");

    /// <summary>A fast shutdown: open sessions are ended and new connections refused, as in a restart.</summary>
    public Task StopServerAsync() => PgAsync("pg_ctl", "-D", _data, "-w", "-m", "fast", "stop");

    public async ValueTask DisposeAsync()
    {
        try
        {
            await PgAsync("pg_ctl", "-D", _data, "-w", "-m", "immediate", "stop");
        }
        catch (InvalidOperationException)
        {
            // Already stopped.
        }

        Directory.Delete(_data, recursive: true);
    }

    private static bool IsRoot => Environment.UserName == "root";

    private static string? BinDirectory()
    {
        var candidates = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).OrderDescending()
            : Enumerable.Empty<string>();
        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries);
        return candidates.Concat(onPath).FirstOrDefault(d => File.Exists(Path.Combine(d, "initdb")) && File.Exists(Path.Combine(d, "pg_ctl")));
    }

    private Task PgAsync(string tool, params string[] arguments) => IsRoot
        ? RunAsync("runuser", ["-u", "postgres", "--", Path.Combine(_bin, tool), .. arguments])
        : RunAsync(Path.Combine(_bin, tool), arguments);

    private static async Task RunAsync(string command, params string[] arguments)
    {
        var start = new ProcessStartInfo(command) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetTempPath() };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {command}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{command} {string.Join(' ', arguments)} failed ({process.ExitCode}): {await error}{await output}");
        }
    }
}
