using System.Diagnostics;

namespace Inbox.Testing;

/// <summary><c>eng/cluster.sh</c>, the clustered engines' script (root): its commands and the connection strings it prints.</summary>
public static class ClusterScript
{
    /// <summary>
    /// Sets each variable <c>eng/cluster.sh urls</c> prints (<see cref="PostgresCluster.Variable"/>,
    /// <see cref="RabbitMqCluster.Variable"/>) that the environment does not set already.
    /// </summary>
    public static async Task ExportUrlsAsync()
    {
        foreach (var line in (await RunAsync("urls")).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = line.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0 && TestEnvironment.Get(line[..equals]) is null)
            {
                Environment.SetEnvironmentVariable(line[..equals], line[(equals + 1)..].Trim('"'));
            }
        }
    }

    internal static async Task<string> RunAsync(params string[] arguments)
    {
        var script = Path.Combine(SamplePaths.RepositoryRoot, "eng", "cluster.sh");
        using var process = Process.Start(new ProcessStartInfo("bash", [script, .. arguments])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        }) ?? throw new InvalidOperationException("bash did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"eng/cluster.sh {string.Join(' ', arguments)} exited {process.ExitCode}: {await output}{await error}");
        }

        return await output;
    }
}
