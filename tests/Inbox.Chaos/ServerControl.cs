using System.Diagnostics;

namespace Inbox.Chaos;

/// <summary>
/// Restarts the local RabbitMQ and PostgreSQL (root, servers installed by eng/servers.sh). Where they are not
/// local (connection strings from elsewhere) the restarts are skipped and reported as such.
/// </summary>
internal static class ServerControl
{
    public static bool CanRestart =>
        Environment.UserName == "root" && Exists("rabbitmqctl") && Exists("pg_ctlcluster") &&
        Environment.GetEnvironmentVariable("INBOX_TEST_POSTGRES") is { } pg && pg.Contains("127.0.0.1", StringComparison.Ordinal);

    public static async Task RestartBrokerAsync()
    {
        await RunAsync("rabbitmqctl", "-q stop_app");
        await Task.Delay(TimeSpan.FromSeconds(3));
        await RunAsync("rabbitmqctl", "-q start_app");
    }

    public static async Task RestartDatabaseAsync()
    {
        // The cluster the tests use (port 5432); pg_lsclusters sorts by name, so eng/cluster.sh's pair can come first.
        var cluster = (await RunAsync("pg_lsclusters", "-h")).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .First(columns => columns.Length > 2 && columns[2] == "5432");
        await RunAsync("pg_ctlcluster", $"{cluster[0]} {cluster[1]} restart -m fast");
    }

    private static bool Exists(string command) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(directory => File.Exists(Path.Combine(directory, command)));

    private static async Task<string> RunAsync(string command, string arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(command, arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = await process.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{command} {arguments} failed: {await process.StandardError.ReadToEndAsync()}");
        }

        return output;
    }
}
