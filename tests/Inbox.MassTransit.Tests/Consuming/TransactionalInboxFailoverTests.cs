using System.Collections.Concurrent;
using Inbox.EntityFrameworkCore.Model;
using Inbox.EntityFrameworkCore.Sql;
using Inbox.MassTransit.Tests.Support;
using Inbox.Operations;
using Inbox.Stores;
using Inbox.Testing;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Inbox.MassTransit.Tests.Consuming;

/// <summary>
/// Transactional mode on eng/cluster.sh's PostgreSQL pair through the multi-host string while the primary crashes
/// in the middle of a consumer's transaction and the synchronous standby is promoted.
/// </summary>
public sealed class TransactionalInboxFailoverTests
{
    private static readonly TimeSpan Recovery = TimeSpan.FromSeconds(60);

    [SkippableFact]
    public async Task Consumer_whose_primary_crashes_before_the_commit_is_redelivered_and_completes_once()
    {
        var attemptFailures = new ConcurrentQueue<Exception>();
        await FailOverDuringTheConsumerAsync(inbox => inbox.Retry = retry =>
        {
            // Every failed attempt passes the filter: the test sees what the failover threw, not only the last.
            retry.Handle<Exception>(exception =>
            {
                attemptFailures.Enqueue(exception);
                return true;
            });
            retry.Interval(40, TimeSpan.FromMilliseconds(500));
        });

        // Every failed attempt failed as "unavailable", never as a bug.
        Assert.NotEmpty(attemptFailures);
        Assert.All(attemptFailures, exception => Assert.True(
            exception is InboxStoreUnavailableException || DatabaseErrors.IsUnavailable(exception, CancellationToken.None),
            $"an attempt failed with a bug, not the failover: {exception}"));
    }

    // After the promotion Npgsql answers "No suitable host was found" until it rechecks the hosts' roles (Host Recheck
    // Seconds, 10 by default), longer than the handler retry's 3.6 s: the store's retry, on by default, outlasts it.
    [SkippableFact]
    public async Task Consumer_whose_primary_crashes_before_the_commit_completes_once_with_the_default_retries() =>
        await FailOverDuringTheConsumerAsync(configure: null);

    /// <summary>Crashes the primary and promotes the standby inside the consumer's first transaction; asserts one completion.</summary>
    private static async Task FailOverDuringTheConsumerAsync(Action<IdempotentInboxOptions>? configure)
    {
        Skip.If(PostgresCluster.UnavailableReason is not null, PostgresCluster.UnavailableReason);
        await PostgresCluster.WhileHoldingAsync(async () =>
        {
            await using var database = await TestDatabase.CreateOnPostgresClusterAsync();
            await using var rabbit = await RabbitMqServer.CreateVirtualHostAsync();
            var failedOver = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var crashes = 0;
            var effects = new TestEffects
            {
                AfterClaimSaved = async () =>
                {
                    if (Interlocked.Increment(ref crashes) == 1)
                    {
                        await PostgresCluster.CrashPrimaryAsync();
                        await PostgresCluster.PromoteAsync();
                        failedOver.SetResult();
                    }
                },
            };
            await using var host = await InboxHost.StartAsync(database, rabbit, effects, configure);

            var publication = await host.SubmitAsync(new SubmitClaim("pat_failover"));
            await failedOver.Task.WaitAsync(Recovery);

            // Its own pool (another application name): the host's pool, with its connections to the dead primary, is
            // the library's to recover, not the test's to clear.
            var observer = new NpgsqlConnectionStringBuilder(database.ConnectionString) { ApplicationName = "inbox-failover-observer" }.ConnectionString;
            var options = (DbContextOptions<WorkerDbContext>)new DbContextOptionsBuilder<WorkerDbContext>().UseNpgsql(observer).Options;
            var operation = (await Eventually.ReturnsAsync($"operation {publication.OperationId} to succeed on the new primary", async () =>
            {
                await using var db = new WorkerDbContext(options);
                return await db.Set<InboxOperation>().AsNoTracking().SingleOrDefaultAsync(o => o.Id == publication.OperationId);
            }, o => o?.Status == OperationStatus.Succeeded, Recovery))!;

            await using var read = new WorkerDbContext(options);
            var claim = Assert.Single(await read.Claims.AsNoTracking().ToListAsync());
            Assert.Equal(publication.OperationId, claim.OperationId);
            var entry = Assert.Single(await read.Set<InboxEntry>().AsNoTracking().ToListAsync());
            Assert.Equal(OperationStatus.Succeeded, entry.Status);
            Assert.Equal("op:" + publication.OperationId, entry.MessageKey);
            Assert.Equal(operation.Result, entry.Result);
            Assert.NotNull(operation.Result);
            Assert.Null(operation.ErrorCode);

            // The first attempt wrote and never committed: it ran again.
            Assert.True(effects.Invocations[publication.OperationId] >= 2, $"the consumer ran {effects.Invocations[publication.OperationId]} time(s)");
            Assert.Equal(0, host.Metrics.FailuresRecorded);
        });
    }
}
