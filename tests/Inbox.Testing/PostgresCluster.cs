using Npgsql;

namespace Inbox.Testing;

/// <summary>
/// The PostgreSQL primary and synchronous standby of <c>eng/cluster.sh</c>, reached through the multi-host string in
/// <see cref="Variable"/>. A test that fails the pair over holds <see cref="LockAsync"/> (a file lock, so test
/// projects running at once take turns) and ends with <see cref="RebuildAsync"/>, so the next test starts from a pair.
/// </summary>
public static class PostgresCluster
{
    /// <summary>Npgsql multi-host connection string of the pair, with <c>Target Session Attributes=primary</c>.</summary>
    public const string Variable = "INBOX_TEST_POSTGRES_CLUSTER";

    private static readonly string LockPath = Path.Combine(Path.GetTempPath(), "inbox-test-postgres-cluster.lock");

    /// <summary>The multi-host connection string, or <see langword="null"/> where the pair is not configured.</summary>
    public static string? ConnectionString => TestEnvironment.Get(Variable);

    /// <summary>
    /// Why the failover tests cannot run here, or <see langword="null"/>. Under <c>CI=true</c> they never skip:
    /// eng/test.sh starts the pair, so a missing variable is a broken CI, reported by <see cref="RequireConnectionString"/>.
    /// </summary>
    public static string? UnavailableReason =>
        ConnectionString is null && !IsCi
            ? $"No PostgreSQL pair: run `bash eng/cluster.sh start postgres` (root) and set {Variable} (`bash eng/cluster.sh urls` prints it)."
            : null;

    private static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>The multi-host connection string; throws, saying how to get one, where there is none.</summary>
    public static string RequireConnectionString() => ConnectionString
        ?? throw new InvalidOperationException($"CI=true but {Variable} is not set: eng/test.sh starts the pair (eng/cluster.sh start postgres) and sets it.");

    /// <summary>Holds the pair for one test: other test processes wait until it is disposed.</summary>
    public static async Task<IAsyncDisposable> LockAsync(CancellationToken cancellationToken = default)
    {
        while (true)
        {
            try
            {
                return new FileStream(LockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
            }
            catch (IOException)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken);
            }
        }
    }

    /// <summary>Runs a failover test while holding the pair (<see cref="LockAsync"/>), and rebuilds the pair after it, even when it fails.</summary>
    public static async Task WhileHoldingAsync(Func<Task> test)
    {
        await using var pair = await LockAsync();
        try
        {
            await test();
        }
        finally
        {
            await RebuildAsync();
        }
    }

    /// <summary>A database of its own on the current primary; disposing it drops it.</summary>
    public static async Task<PostgresDatabase> CreateDatabaseAsync(CancellationToken cancellationToken = default)
    {
        var admin = RequireConnectionString();
        var name = "inbox_failover_" + Guid.NewGuid().ToString("N")[..16];
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        return new PostgresDatabase(name, new NpgsqlConnectionStringBuilder(admin) { Database = name }.ConnectionString, admin);
    }

    /// <summary>Stops the primary as a crash would (<c>pg_ctl stop -m immediate</c>).</summary>
    public static Task CrashPrimaryAsync() => ClusterScript.RunAsync("crash-primary");

    /// <summary>Promotes the standby to primary.</summary>
    public static Task PromoteAsync() => ClusterScript.RunAsync("promote");

    /// <summary>Makes the other node a synchronous standby of the primary again (a no-op when it already is).</summary>
    public static Task RebuildAsync() => ClusterScript.RunAsync("rebuild");
}
