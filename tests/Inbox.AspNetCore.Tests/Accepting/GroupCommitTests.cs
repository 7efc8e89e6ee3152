using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;
using Inbox.AspNetCore.Tests.Support;
using Inbox.Background;
using Inbox.Diagnostics;
using Inbox.EntityFrameworkCore.Model;
using Inbox.Operations;
using Inbox.Stores;
using Inbox.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging.Testing;
using Npgsql;

namespace Inbox.AspNetCore.Tests.Accepting;

/// <summary>
/// Group commit (<see cref="InboxStoreOptions.GroupCommit"/>) on real PostgreSQL. A batch forms while another is on its
/// way; the tests hold that one back with a key another transaction holds, and run on the fake clock, so the window
/// never ends a queue early: what queues meanwhile leaves when it reaches the maximum rows.
/// </summary>
public sealed class GroupCommitTests
{
    private const string OtherClaim = """{"patientId": "pat_999", "amountCents": 1}""";

    [Fact]
    public async Task Concurrent_first_submissions_join_one_batch_and_each_gets_its_own_outcome_after_the_commit()
    {
        await using var api = await StartAsync(store => store.GroupCommitMaxRows = 10);
        using var batches = BatchSizes(api);
        var committedAtPublish = new List<bool>();
        api.Publisher.OnPublish = async publication =>
        {
            // Another connection sees the row: the batch committed before the publish, so before the 202.
            await using var db = api.CreateDbContext();
            var visible = await db.Set<InboxOperation>().AnyAsync(o => o.Id == publication.OperationId);
            lock (committedAtPublish)
            {
                committedAtPublish.Add(visible);
            }
        };
        var existing = await api.Client.SendAsync(Http.Post("/claims", Http.ValidClaim, key: "existing"));
        await api.Client.SendAsync(Http.Post("/claims", Http.ValidClaim, key: "other-body"));

        HttpResponseMessage[] responses;
        HttpResponseMessage held;
        await using (var holder = await HoldKeyAsync(api, "held"))
        {
            var blocked = api.Client.SendAsync(Http.Post("/claims", Http.ValidClaim, key: "held"));
            await WaitForLockWaitersAsync(api, 1);

            // Ten join the next batch (one of the two "dup" waits for the other), which leaves when it holds ten.
            responses = await Task.WhenAll(
                new (string? Key, string Body)[]
                {
                    ("existing", Http.ValidClaim), ("other-body", OtherClaim), ("dup", Http.ValidClaim), ("dup", Http.ValidClaim),
                    ("new-1", Http.ValidClaim), ("new-2", Http.ValidClaim), ("new-3", Http.ValidClaim), ("new-4", Http.ValidClaim),
                    ("new-5", Http.ValidClaim), (null, Http.ValidClaim), (null, Http.ValidClaim),
                }.Select(r => api.Client.SendAsync(Http.Post("/claims", r.Body, key: r.Key))));
            Assert.False(blocked.IsCompleted);

            await holder.RollbackAsync();
            held = await blocked;
        }

        Assert.Equal([1, 1, 1, 10], batches.GetMeasurementSnapshot().Select(m => m.Value).Order());
        Assert.Equal(HttpStatusCode.Accepted, held.StatusCode);
        Assert.Null(held.Header("Idempotent-Replayed"));
        var replay = responses[0];
        Assert.Equal(HttpStatusCode.Accepted, replay.StatusCode);
        Assert.Equal("true", replay.Header("Idempotent-Replayed"));
        Assert.Equal(await existing.Content.ReadAsByteArrayAsync(), await replay.Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.Conflict, responses[1].StatusCode);
        Assert.Equal("idempotency_key_mismatched_body", (await responses[1].ErrorAsync()).Code);
        var dups = responses[2..4];
        Assert.All(dups, r => Assert.Equal(HttpStatusCode.Accepted, r.StatusCode));
        Assert.Single(dups, r => r.Header("Idempotent-Replayed") == "true");
        Assert.Equal((await dups[0].JsonAsync()).GetProperty("data").GetProperty("id").GetString(),
            (await dups[1].JsonAsync()).GetProperty("data").GetProperty("id").GetString());
        Assert.All(responses[4..], r =>
        {
            Assert.Equal(HttpStatusCode.Accepted, r.StatusCode);
            Assert.Null(r.Header("Idempotent-Replayed"));
        });

        var rows = await api.OperationsAsync();
        Assert.Equal(11, rows.Count);
        Assert.Single(rows, o => o.IdempotencyKey == "dup");
        Assert.Equal(2, rows.Count(o => o.IdempotencyKey is null));
        Assert.Equal(11, api.Publisher.Published.Count);
        Assert.Equal(11, committedAtPublish.Count);
        Assert.All(committedAtPublish, Assert.True);
    }

    [Fact]
    public async Task Lone_acceptance_runs_alone_with_the_single_row_statement_and_counts_as_a_batch_of_one()
    {
        await using var api = await StartAsync();
        using var batches = BatchSizes(api);
        var database = new NpgsqlConnectionStringBuilder(api.Database.ConnectionString).Database;
        var statements = new List<string>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Npgsql",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStopped = activity =>
            {
                if (activity.GetTagItem("db.namespace") as string == database && activity.GetTagItem("db.query.text") is string text)
                {
                    lock (statements)
                    {
                        statements.Add(text);
                    }
                }
            },
        };
        ActivitySource.AddActivityListener(listener);

        var response = await api.Client.SendAsync(Http.Post("/claims", Http.ValidClaim, key: "lone"));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal([1], batches.GetMeasurementSnapshot().Select(m => m.Value));
        string[] accepts;
        lock (statements)
        {
            accepts = [.. statements.Where(s => s.Contains("INSERT INTO", StringComparison.OrdinalIgnoreCase))];
        }

        // A batch of one would add a scope, array parameters and a hand-off for nothing: it runs the per-request statement.
        var accept = Assert.Single(accepts);
        Assert.DoesNotContain("unnest", accept, StringComparison.OrdinalIgnoreCase);
        Assert.Single(await api.OperationsAsync(), o => o.IdempotencyKey == "lone");
    }

    [Fact]
    public async Task Acceptance_cancelled_while_queued_leaves_the_queue_and_stores_nothing()
    {
        await using var api = await StartAsync();
        using var batches = BatchSizes(api);
        await using var holder = await HoldKeyAsync(api, "held");
        var blocked = api.Client.SendAsync(Http.Post("/claims", Http.ValidClaim, key: "held"));
        await WaitForLockWaitersAsync(api, 1);

        await using var scope = api.Services.CreateAsyncScope();
        var store = scope.ServiceProvider.GetRequiredService<IOperationStore>();
        using var cancel = new CancellationTokenSource();
        var queued = store.AcceptAsync(Operation(api, "queued"), TimeSpan.FromSeconds(10), cancel.Token).AsTask();
        Assert.False(queued.IsCompleted);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => queued);

        await holder.RollbackAsync();
        Assert.Equal(HttpStatusCode.Accepted, (await blocked).StatusCode);
        Assert.DoesNotContain(await api.OperationsAsync(), o => o.IdempotencyKey == "queued");
        Assert.Equal([1], batches.GetMeasurementSnapshot().Select(m => m.Value));
    }

    [Fact]
    public async Task Batch_cut_from_the_database_fails_only_its_own_requests_with_503_and_stores_none_of_them()
    {
        var database = await TestDatabase.CreateAsync(DatabaseKind.PostgreSql);
        var direct = new NpgsqlConnectionStringBuilder(database.ConnectionString);
        await using var proxy = TcpProxy.Start(direct.Host!, direct.Port);
        var proxied = new NpgsqlConnectionStringBuilder(database.ConnectionString) { Host = "127.0.0.1", Port = proxy.Port }.ConnectionString;
        await using var api = await TestApi.StartAsync(
            database,
            configureStore: store => (store.GroupCommit, store.GroupCommitMaxRows) = (true, 3),
            useDatabase: options => options.UseNpgsql(proxied),
            kestrel: true);
        await using (var setup = api.CreateDbContext())
        {
            // A backend waiting on a lock notices its client is gone only when it checks; without the check it would run
            // on once the lock is free, and commit the batch of a client that already answered 503.
            await setup.Database.ExecuteSqlRawAsync(
                "DO $$ BEGIN EXECUTE format('ALTER DATABASE %I SET client_connection_check_interval = 100', current_database()); END $$");
        }

        var before = await api.Client.SendAsync(Http.Post("/claims", Http.ValidClaim, key: "before"));
        Assert.Equal(HttpStatusCode.Accepted, before.StatusCode);

        await using (var holder = await HoldKeyAsync(api, "held-1", "held-2"))
        {
            var alone = api.Client.SendAsync(Http.Post("/claims", Http.ValidClaim, key: "held-1"));
            await WaitForLockWaitersAsync(api, 1);
            var batch = new[] { "held-2", "x-1", "x-2" }.Select(key => api.Client.SendAsync(Http.Post("/claims", Http.ValidClaim, key: key))).ToArray();
            await WaitForLockWaitersAsync(api, 2);

            proxy.Cut();
            foreach (var response in await Task.WhenAll([alone, .. batch]))
            {
                Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
                Assert.Equal("1", response.Header("Retry-After"));
                Assert.Equal("service_unavailable", (await response.ErrorAsync()).Code);
            }

            await WaitForLockWaitersAsync(api, 0);
            await holder.RollbackAsync();
        }

        proxy.Restore();
        Assert.Equal(["before"], (await api.OperationsAsync()).Select(o => o.IdempotencyKey));
        var retry = await api.Client.SendAsync(Http.Post("/claims", Http.ValidClaim, key: "x-1"));
        Assert.Equal(HttpStatusCode.Accepted, retry.StatusCode);
        Assert.Null(retry.Header("Idempotent-Replayed"));
        var replay = await api.Client.SendAsync(Http.Post("/claims", Http.ValidClaim, key: "before"));
        Assert.Equal("true", replay.Header("Idempotent-Replayed"));
    }

    [Fact]
    public async Task Stopping_the_application_fails_queued_and_running_acceptances_as_unavailable_without_hanging()
    {
        await using var api = await StartAsync();
        await using var holder = await HoldKeyAsync(api, "held");
        await using var runningScope = api.Services.CreateAsyncScope();
        await using var queuedScope = api.Services.CreateAsyncScope();
        var running = runningScope.ServiceProvider.GetRequiredService<IOperationStore>()
            .AcceptAsync(Operation(api, "held"), TimeSpan.FromSeconds(10), CancellationToken.None).AsTask();
        await WaitForLockWaitersAsync(api, 1);
        var queued = queuedScope.ServiceProvider.GetRequiredService<IOperationStore>()
            .AcceptAsync(Operation(api, "queued"), TimeSpan.FromSeconds(10), CancellationToken.None).AsTask();

        await api.StopAsync();

        Assert.Contains("stopping", (await Assert.ThrowsAsync<InboxStoreUnavailableException>(() => queued)).Message);
        Assert.Contains("stopping", (await Assert.ThrowsAsync<InboxStoreUnavailableException>(() => running)).Message);
        await holder.RollbackAsync();
        Assert.Empty(await api.OperationsAsync());
    }

    [Fact]
    public async Task Group_commit_on_sqlite_is_ignored_with_one_log_line_and_each_acceptance_runs_alone()
    {
        await using var api = await TestApi.StartAsync(
            await TestDatabase.CreateAsync(DatabaseKind.Sqlite),
            configureStore: store => store.GroupCommit = true,
            services: services => services.AddFakeLogging());
        using var batches = BatchSizes(api);

        var first = await api.Client.SendAsync(Http.Post("/claims", Http.ValidClaim, key: "key-1"));
        var second = await api.Client.SendAsync(Http.Post("/claims", Http.ValidClaim, key: "key-2"));

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
        Assert.Empty(batches.GetMeasurementSnapshot());
        var ignored = Assert.Single(api.Services.GetFakeLogCollector().GetSnapshot(), r => r.Id.Name == "GroupCommitIgnored");
        Assert.Contains("PostgreSQL only", ignored.Message);
    }

    private static async Task<TestApi> StartAsync(Action<InboxStoreOptions>? configure = null) =>
        await TestApi.StartAsync(await TestDatabase.CreateAsync(DatabaseKind.PostgreSql), configureStore: store =>
        {
            store.GroupCommit = true;
            configure?.Invoke(store);
        });

    private static MetricCollector<int> BatchSizes(TestApi api) =>
        new(api.Services.GetRequiredService<IMeterFactory>(), InboxDiagnostics.Name, InboxDiagnostics.AcceptBatchSize);

    /// <summary>Another writer holds the keys (uncommitted), as first requests still being accepted elsewhere would.</summary>
    private static async Task<HeldKeys> HoldKeyAsync(TestApi api, params string[] keys)
    {
        var db = api.CreateDbContext();
        var transaction = await db.Database.BeginTransactionAsync();
        var now = DateTimeOffset.UtcNow;
        foreach (var key in keys)
        {
            db.Add(new InboxOperation
            {
                Id = RandomIds.NewOperationId(),
                TenantId = "",
                Endpoint = "POST /claims",
                IdempotencyKey = key,
                Fingerprint = new byte[32],
                RequestId = RandomIds.NewRequestId(),
                ResponseStatus = 202,
                MessageType = "none",
                CreatedAt = now,
                UpdatedAt = now,
                ExpiresAt = now.AddHours(1),
                RelayAt = now.AddHours(1),
            });
        }

        await db.SaveChangesAsync();
        return new HeldKeys(db, transaction);
    }

    private static Task WaitForLockWaitersAsync(TestApi api, int count) =>
        Eventually.TrueAsync($"{count} statement(s) to wait on a held key", async () =>
        {
            await using var probe = api.CreateDbContext();
            var waiters = await probe.Database
                .SqlQueryRaw<int>("SELECT count(*)::int AS \"Value\" FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'")
                .SingleAsync();
            return waiters == count;
        });

    private static NewOperation Operation(TestApi api, string key)
    {
        var now = api.Time.GetUtcNow();
        return new NewOperation
        {
            Id = RandomIds.NewOperationId(),
            Scope = new OperationScope("", "POST /claims"),
            IdempotencyKey = key,
            Fingerprint = new byte[32],
            RequestId = RandomIds.NewRequestId(),
            Response = new StoredResponse(202, [], "{}"u8.ToArray()),
            MessageType = "none",
            MessageBody = "{}"u8.ToArray(),
            CreatedAt = now,
            ExpiresAt = now.AddHours(1),
        };
    }

    private sealed class HeldKeys(TestDbContext db, IDbContextTransaction transaction) : IAsyncDisposable
    {
        public Task RollbackAsync() => transaction.RollbackAsync();

        public async ValueTask DisposeAsync()
        {
            await transaction.DisposeAsync();
            await db.DisposeAsync();
        }
    }
}
