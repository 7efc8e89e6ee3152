using System.Net;
using System.Net.Sockets;
using Inbox.AspNetCore.Tests.Support;
using Inbox.EntityFrameworkCore.Model;
using Inbox.Operations;
using Inbox.Stores;
using Inbox.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace Inbox.AspNetCore.Tests.Health;

/// <summary>
/// <c>AddInboxHealthChecks</c> over a real database of each provider, on a fake clock: operations are accepted
/// through the real accept endpoint, and failed or finished through the model, as a consumer would.
/// </summary>
public abstract class InboxHealthCheckTests
{
    protected abstract DatabaseKind Kind { get; }

    /// <summary>Points the application at a database of this provider that cannot be reached.</summary>
    protected abstract void UseUnreachableDatabase(DbContextOptionsBuilder options);

    protected static async Task<TestApi> StartAsync(
        TestDatabase database, Action<InboxHealthCheckOptions>? configure = null, Action<DbContextOptionsBuilder>? useDatabase = null) =>
        await TestApi.StartAsync(
            database,
            services: services => services.AddHealthChecks().AddInboxHealthChecks(configure, tags: ["ready"]),
            useDatabase: useDatabase,
            endpoints: app => app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") }));

    private async Task<TestApi> StartAsync(Action<InboxHealthCheckOptions>? configure = null) =>
        await StartAsync(await ContractDatabase.CreateAsync(Kind), configure);

    protected static async Task<HealthReportEntry> CheckAsync(TestApi api)
    {
        var report = await api.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        return Assert.Single(report.Entries, entry => entry.Key == InboxHealthCheckDefaults.Name).Value;
    }

    private static async Task<string> AcceptAsync(TestApi api, string key)
    {
        var response = await api.Client.SendAsync(Http.Post("/claims", Http.ValidClaim, key: key));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var location = response.Headers.Location!.OriginalString;
        return location[(location.LastIndexOf('/') + 1)..];
    }

    /// <summary>Ends <paramref name="id"/> with <paramref name="status"/> now, on the fake clock.</summary>
    private static async Task EndAsync(TestApi api, string id, OperationStatus status)
    {
        var now = api.Time.GetUtcNow();
        await using var db = api.CreateDbContext();
        Assert.Equal(1, await db.Set<InboxOperation>().Where(o => o.Id == id).ExecuteUpdateAsync(s => s
            .SetProperty(o => o.Status, status)
            .SetProperty(o => o.ErrorCode, status == OperationStatus.Failed ? "claim_rejected" : null)
            .SetProperty(o => o.UpdatedAt, now)));
    }

    [SkippableFact]
    public async Task Healthy_when_no_accepted_operation_waits_long_and_few_failed()
    {
        await using var api = await StartAsync();
        var succeeded = await AcceptAsync(api, "k1");
        await EndAsync(api, succeeded, OperationStatus.Succeeded);
        var failed = await AcceptAsync(api, "k2");
        await EndAsync(api, failed, OperationStatus.Failed);
        api.FakeTime.Advance(TimeSpan.FromMinutes(10));
        await AcceptAsync(api, "k3");
        api.FakeTime.Advance(TimeSpan.FromSeconds(61));

        var entry = await CheckAsync(api);

        Assert.Equal(HealthStatus.Healthy, entry.Status);
        Assert.Equal(61L, entry.Data["oldest_accepted_age_seconds"]);
        Assert.Equal(1L, entry.Data["failed_in_window"]);
        Assert.Equal("The oldest accepted operation has waited 00:01:01 (limit 00:05:00). Operations failed in the last 00:15:00: 1 (threshold 10).", entry.Description);
    }

    [SkippableFact]
    public async Task Healthy_with_no_operations_at_all()
    {
        await using var api = await StartAsync();

        var entry = await CheckAsync(api);

        Assert.Equal(HealthStatus.Healthy, entry.Status);
        Assert.Equal(0L, entry.Data["oldest_accepted_age_seconds"]);
        Assert.Equal(0L, entry.Data["failed_in_window"]);
        Assert.Equal("No accepted operation is waiting. Operations failed in the last 00:15:00: 0 (threshold 10).", entry.Description);
    }

    [SkippableFact]
    public async Task Degraded_once_the_oldest_accepted_operation_waited_longer_than_the_threshold()
    {
        await using var api = await StartAsync(options => options.MaxAcceptedAge = TimeSpan.FromMinutes(2));
        await AcceptAsync(api, "k1");
        api.FakeTime.Advance(TimeSpan.FromMinutes(1));
        await AcceptAsync(api, "k2");
        api.FakeTime.Advance(TimeSpan.FromMinutes(1));
        var atThreshold = await CheckAsync(api);
        api.FakeTime.Advance(TimeSpan.FromSeconds(1));

        var entry = await CheckAsync(api);

        Assert.Equal(HealthStatus.Healthy, atThreshold.Status);
        Assert.Equal(HealthStatus.Degraded, entry.Status);
        Assert.Equal(121L, entry.Data["oldest_accepted_age_seconds"]);
        Assert.Equal(120L, entry.Data["max_accepted_age_seconds"]);
        Assert.Equal(
            "The oldest accepted operation has waited 00:02:01, longer than 00:02:00: the relay, the broker or the consumers are not keeping up.",
            entry.Description);
        var readiness = await api.Client.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, readiness.StatusCode);
        Assert.Equal("Degraded", await readiness.Content.ReadAsStringAsync());
    }

    [SkippableFact]
    public async Task Degraded_while_the_failures_within_the_window_reach_the_threshold()
    {
        await using var api = await StartAsync(options =>
        {
            options.FailureThreshold = 2;
            options.FailureWindow = TimeSpan.FromMinutes(10);
        });
        var first = await AcceptAsync(api, "k1");
        var second = await AcceptAsync(api, "k2");
        await EndAsync(api, first, OperationStatus.Failed);
        api.FakeTime.Advance(TimeSpan.FromMinutes(6));
        await EndAsync(api, second, OperationStatus.Failed);

        var bothInWindow = await CheckAsync(api);
        api.FakeTime.Advance(TimeSpan.FromMinutes(5));
        var firstOutOfWindow = await CheckAsync(api);

        Assert.Equal(HealthStatus.Degraded, bothInWindow.Status);
        Assert.Equal(2L, bothInWindow.Data["failed_in_window"]);
        Assert.Equal(600L, bothInWindow.Data["failure_window_seconds"]);
        Assert.Equal(2, bothInWindow.Data["failure_threshold"]);
        Assert.Equal("Operations failed in the last 00:10:00: 2, at the threshold of 2 or over.", bothInWindow.Description);
        Assert.Equal(HealthStatus.Healthy, firstOutOfWindow.Status);
        Assert.Equal(1L, firstOutOfWindow.Data["failed_in_window"]);
    }

    [SkippableFact]
    public async Task Degraded_for_both_reasons_names_both()
    {
        await using var api = await StartAsync(options => options.FailureThreshold = 1);
        await AcceptAsync(api, "k1");
        await EndAsync(api, await AcceptAsync(api, "k2"), OperationStatus.Failed);
        api.FakeTime.Advance(TimeSpan.FromMinutes(6));

        var entry = await CheckAsync(api);

        Assert.Equal(HealthStatus.Degraded, entry.Status);
        Assert.StartsWith("The oldest accepted operation has waited 00:06:00", entry.Description);
        Assert.EndsWith("not keeping up. Operations failed in the last 00:15:00: 1, at the threshold of 1 or over.", entry.Description);
    }

    [SkippableFact]
    public async Task Unhealthy_when_the_store_cannot_be_reached()
    {
        await using var api = await StartAsync(await ContractDatabase.CreateAsync(Kind), useDatabase: UseUnreachableDatabase);

        var entry = await CheckAsync(api);
        var readiness = await api.Client.GetAsync("/health/ready");

        Assert.Equal(HealthStatus.Unhealthy, entry.Status);
        Assert.Equal("The Inbox store cannot be reached.", entry.Description);
        Assert.IsType<InboxStoreUnavailableException>(entry.Exception);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, readiness.StatusCode);
        Assert.Equal("Unhealthy", await readiness.Content.ReadAsStringAsync());
    }
}

public sealed class PostgresInboxHealthCheckTests : InboxHealthCheckTests
{
    protected override DatabaseKind Kind => DatabaseKind.PostgreSql;

    private readonly string _closedPort = $"Host=127.0.0.1;Port={ClosedPort()};Username=inbox;Password=unused;Database=inbox;Timeout=3";

    protected override void UseUnreachableDatabase(DbContextOptionsBuilder options) => options.UseNpgsql(_closedPort);

    // A real database that holds the check's read behind a lock: the check gives up at its timeout, on the fake clock.
    [Fact]
    public async Task Unhealthy_when_the_store_does_not_answer_within_the_timeout()
    {
        await using var api = await StartAsync(await TestDatabase.CreateAsync(Kind), options => options.Timeout = TimeSpan.FromSeconds(3));
        await using var locker = new NpgsqlConnection(api.Database.ConnectionString);
        await locker.OpenAsync();
        await using var transaction = await locker.BeginTransactionAsync();
        await using (var lockTable = new NpgsqlCommand("LOCK TABLE inbox_operations IN ACCESS EXCLUSIVE MODE", locker, transaction))
        {
            await lockTable.ExecuteNonQueryAsync();
        }

        var check = CheckAsync(api);
        await Eventually.TrueAsync("the check's read to wait for the lock", async () =>
        {
            await using var waiting = new NpgsqlCommand("SELECT count(*) FROM pg_locks WHERE NOT granted", locker, transaction);
            return (long)(await waiting.ExecuteScalarAsync())! > 0;
        });
        api.FakeTime.Advance(TimeSpan.FromSeconds(3));
        var entry = await check;

        Assert.Equal(HealthStatus.Unhealthy, entry.Status);
        Assert.Equal("The Inbox store did not answer within 00:00:03.", entry.Description);
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}

public sealed class SqliteInboxHealthCheckTests : InboxHealthCheckTests
{
    protected override DatabaseKind Kind => DatabaseKind.Sqlite;

    // A file in a folder that does not exist cannot be opened.
    protected override void UseUnreachableDatabase(DbContextOptionsBuilder options) =>
        options.UseSqlite($"Data Source={Path.Combine(Path.GetTempPath(), "inbox-tests", Guid.NewGuid().ToString("N"), "missing.db")}");
}

public sealed class SqlServerInboxHealthCheckTests : InboxHealthCheckTests
{
    protected override DatabaseKind Kind => DatabaseKind.SqlServer;

    protected override void UseUnreachableDatabase(DbContextOptionsBuilder options) =>
        options.UseSqlServer("Server=tcp:127.0.0.1,1;Database=inbox;User Id=sa;Password=unused;Connect Timeout=2;TrustServerCertificate=true");
}
