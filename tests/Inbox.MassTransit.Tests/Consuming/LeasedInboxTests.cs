using System.Text.Json;
using Inbox.EntityFrameworkCore.Model;
using Inbox.MassTransit.Tests.Support;
using Inbox.Operations;
using Inbox.Testing;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Inbox.MassTransit.Tests.Consuming;

/// <summary>Guarantees 3 and 4 in leased mode (effects outside the database), over real RabbitMQ and PostgreSQL.</summary>
public sealed class LeasedInboxTests
{
    /// <summary>
    /// Leases no test outlives by the clock: a test that needs one to expire expires it in the database
    /// (<see cref="ExpireLeaseAsync"/>) once it has seen what it waits for, so a slow machine cannot reorder the steps.
    /// </summary>
    private static void TestLeases(IdempotentInboxOptions options)
    {
        options.LeaseDuration = TimeSpan.FromMinutes(10);
        options.LeaseSkewMargin = TimeSpan.FromMilliseconds(200);
        options.LeaseWaitLimit = TimeSpan.FromMinutes(1);
        options.Retry = r => r.Immediate(1);
    }

    /// <summary>Ends the lease on the operation's entry now, as the clock would once it ran out.</summary>
    private static async Task ExpireLeaseAsync(InboxHost host, string operationId)
    {
        await using var db = host.CreateDbContext();
        var expired = await db.Set<InboxEntry>().Where(e => e.OperationId == operationId && e.LeaseExpiresAt != null)
            .ExecuteUpdateAsync(s => s.SetProperty(e => e.LeaseExpiresAt, DateTimeOffset.UtcNow.AddMinutes(-1)));
        Assert.Equal(1, expired);
    }

    private static readonly string WebhookConsumerName = typeof(WebhookConsumer).FullName!;

    private static string DownstreamKeyOf(string operationId) =>
        RandomIds.Derive("dk_", $"{WebhookConsumerName}\nop:{operationId}\nwebhook");

    /// <summary>
    /// Writes the entry of a delivery (<paramref name="token"/>) that claimed a new operation's message and holds its
    /// lease for <paramref name="lease"/> from now, then publishes that message; returns the operation id.
    /// </summary>
    private static async Task<string> PublishWhileAnotherDeliveryHoldsTheLeaseAsync(InboxHost host, string token, TimeSpan lease)
    {
        var publication = await host.SubmitAsync(new FireWebhook("warm"));
        await host.OperationWhenAsync(publication.OperationId, OperationStatus.Succeeded);
        var operationId = RandomIds.NewOperationId();
        await using (var db = host.CreateDbContext())
        {
            var now = DateTimeOffset.UtcNow;
            db.Add(new InboxEntry
            {
                Consumer = WebhookConsumerName,
                MessageKey = "op:" + operationId,
                Status = OperationStatus.Processing,
                OperationId = operationId,
                ClaimToken = token,
                Attempt = 1,
                LeaseExpiresAt = now + lease,
                CreatedAt = now,
                UpdatedAt = now,
                ExpiresAt = now.AddHours(1),
            });
            await db.SaveChangesAsync();
        }

        await host.PublishAsync(new Inbox.Publishing.OperationPublication
        {
            OperationId = operationId,
            Scope = publication.Scope,
            IdempotencyKey = token,
            ExpiresAt = publication.ExpiresAt,
            Message = new FireWebhook("letter.sent"),
            MessageType = typeof(FireWebhook),
        });
        return operationId;
    }

    [Fact]
    public async Task Duplicates_of_a_finished_operation_are_skipped_and_the_downstream_is_called_once()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseKind.PostgreSql);
        await using var rabbit = await RabbitMqServer.CreateVirtualHostAsync();
        var effects = new TestEffects();
        await using var host = await InboxHost.StartAsync(database, rabbit, effects);

        var publication = await host.SubmitAsync(new FireWebhook("claim.updated"));
        var succeeded = await host.OperationWhenAsync(publication.OperationId, OperationStatus.Succeeded);
        for (var i = 0; i < 4; i++)
        {
            await host.PublishAsync(publication);
        }

        await Eventually.TrueAsync("four duplicates to be skipped", () => Task.FromResult(host.Metrics.DuplicatesSkipped == 4));
        var (key, calls) = Assert.Single(effects.DownstreamCalls);
        Assert.Equal(1, calls);
        Assert.StartsWith("dk_", key);
        using var result = JsonDocument.Parse(succeeded.Result!);
        Assert.Equal(key, result.RootElement.GetProperty("webhook_id").GetString());
        var entry = Assert.Single(await host.EntriesAsync());
        Assert.Equal(OperationStatus.Succeeded, entry.Status);
        Assert.Null(entry.LeaseExpiresAt);

        // Another effect name of the same message, and the same effect of another operation, get other keys.
        var auditKey = result.RootElement.GetProperty("audit_key").GetString();
        Assert.StartsWith("dk_", auditKey);
        Assert.NotEqual(key, auditKey);
        var other = await host.SubmitAsync(new FireWebhook("claim.updated"));
        using var otherResult = JsonDocument.Parse((await host.OperationWhenAsync(other.OperationId, OperationStatus.Succeeded)).Result!);
        Assert.DoesNotContain(otherResult.RootElement.GetProperty("webhook_id").GetString(), new[] { key, auditKey });
        Assert.NotEqual(auditKey, otherResult.RootElement.GetProperty("audit_key").GetString());
    }

    [Fact]
    public async Task Delivery_during_a_live_lease_waits_then_takes_over_with_the_same_downstream_key()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseKind.PostgreSql);
        await using var rabbit = await RabbitMqServer.CreateVirtualHostAsync();
        var effects = new TestEffects();
        var stuck = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var firstCall = 0;
        effects.DuringDownstreamCall = async (_, _) =>
        {
            // The first delivery hangs mid-effect, as a process that stalls (or dies) after calling out.
            if (Interlocked.Exchange(ref firstCall, 1) == 0)
            {
                await stuck.Task;
            }
        };
        await using var host = await InboxHost.StartAsync(database, rabbit, effects, TestLeases);

        var publication = await host.SubmitAsync(new FireWebhook("claim.updated"));
        await Eventually.TrueAsync("the first call", () => Task.FromResult(effects.DownstreamCalls.Values.Sum() == 1));
        Assert.Equal(OperationStatus.Processing, (await host.OperationAsync(publication.OperationId))!.Status);

        await host.PublishAsync(publication);
        await Eventually.TrueAsync("the duplicate to be deferred", () => Task.FromResult(host.Metrics.Deferred == 1));
        Assert.Equal(1, effects.DownstreamCalls.Values.Sum());

        await ExpireLeaseAsync(host, publication.OperationId);
        var succeeded = await host.OperationWhenAsync(publication.OperationId, OperationStatus.Succeeded);
        var (key, calls) = Assert.Single(effects.DownstreamCalls);
        Assert.Equal(2, calls);
        Assert.Equal(1, host.Metrics.Takeovers);
        using (var result = JsonDocument.Parse(succeeded.Result!))
        {
            Assert.Equal(key, result.RootElement.GetProperty("webhook_id").GetString());
            Assert.True(result.RootElement.GetProperty("takeover").GetBoolean());
        }

        // The stalled delivery finishes late: its lease was taken over, so its outcome is not recorded.
        stuck.SetResult();
        await Eventually.TrueAsync("both deliveries to finish", () => Task.FromResult(host.Metrics.Consumed == 2));
        var operation = await host.OperationAsync(publication.OperationId);
        Assert.Equal(succeeded.Result, operation!.Result);
        Assert.Equal(succeeded.UpdatedAt, operation.UpdatedAt);
        var entry = Assert.Single(await host.EntriesAsync());
        Assert.Equal(2, entry.Attempt);
        Assert.Equal(OperationStatus.Succeeded, entry.Status);
    }

    [Fact]
    public async Task Lease_abandoned_by_a_dead_process_is_taken_over_after_it_expires_with_the_same_downstream_key()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseKind.PostgreSql);
        await using var rabbit = await RabbitMqServer.CreateVirtualHostAsync();
        var effects = new TestEffects();
        await using var host = await InboxHost.StartAsync(database, rabbit, effects, TestLeases);

        // A process claimed the message, called out and died: its entry holds a lease that nobody will release.
        var operationId = await PublishWhileAnotherDeliveryHoldsTheLeaseAsync(host, "dead-process", TimeSpan.FromMinutes(10));
        var deadKey = DownstreamKeyOf(operationId);

        await Eventually.TrueAsync("the delivery to wait on the dead lease", () => Task.FromResult(host.Metrics.Deferred == 1));
        Assert.False(effects.DownstreamCalls.ContainsKey(deadKey));
        await ExpireLeaseAsync(host, operationId);
        await Eventually.TrueAsync("the takeover", () => Task.FromResult(effects.DownstreamCalls.ContainsKey(deadKey)));
        await Eventually.TrueAsync("the outcome", async () =>
            (await host.EntriesAsync()).Any(e => e.MessageKey == "op:" + operationId && e.Status == OperationStatus.Succeeded));
        Assert.Equal(1, effects.DownstreamCalls[deadKey]);
        Assert.Equal(1, host.Metrics.Takeovers);
    }

    [Fact]
    public async Task Delivery_that_outwaits_its_limit_on_a_live_lease_is_retried_never_recorded_as_failed_and_runs_once_redriven()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseKind.PostgreSql);
        await using var rabbit = await RabbitMqServer.CreateVirtualHostAsync();
        var effects = new TestEffects();
        await using var host = await InboxHost.StartAsync(database, rabbit, effects, options =>
        {
            TestLeases(options);
            options.LeaseWaitLimit = TimeSpan.FromMilliseconds(300);
        });

        // Another delivery holds a lease far longer than this one is willing to wait.
        var operationId = await PublishWhileAnotherDeliveryHoldsTheLeaseAsync(host, "holder", TimeSpan.FromMinutes(10));
        var key = DownstreamKeyOf(operationId);

        await using (var connection = await new RabbitMQ.Client.ConnectionFactory { Uri = rabbit.AmqpUri }.CreateConnectionAsync())
        {
            await Eventually.TrueAsync("the delivery to give up into webhook_error", async () =>
            {
                // A passive declare of a queue not yet created closes its channel: one channel per probe.
                await using var channel = await connection.CreateChannelAsync();
                try
                {
                    return (await channel.QueueDeclarePassiveAsync("webhook_error")).MessageCount == 1;
                }
                catch (RabbitMQ.Client.Exceptions.OperationInterruptedException)
                {
                    return false;
                }
            });
        }

        Assert.True(host.Metrics.Deferred >= 1);
        Assert.Equal(0, host.Metrics.FailuresRecorded);
        Assert.False(effects.DownstreamCalls.ContainsKey(key));
        var held = Assert.Single(await host.EntriesAsync(), e => e.OperationId == operationId);
        Assert.Equal(("holder", OperationStatus.Processing), (held.ClaimToken, held.Status));

        // The holder went away; the operator redrives the message, which takes over with the same key.
        await ExpireLeaseAsync(host, operationId);

        await RabbitMqRedrive.MoveErrorsBackAsync(rabbit, "webhook", expected: 1);
        await Eventually.TrueAsync("the redriven delivery to take over and finish", async () =>
            (await host.EntriesAsync()).Any(e => e.OperationId == operationId && e.Status == OperationStatus.Succeeded));
        Assert.Equal(1, effects.DownstreamCalls[key]);
        Assert.Equal(1, host.Metrics.Takeovers);
        Assert.Equal(0, host.Metrics.FailuresRecorded);
    }

    [Fact]
    public async Task Exhausted_retries_fail_the_operation_and_a_redrive_repeats_the_effect_with_the_same_key()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseKind.PostgreSql);
        await using var rabbit = await RabbitMqServer.CreateVirtualHostAsync();
        var effects = new TestEffects { AlwaysThrow = true };
        await using var host = await InboxHost.StartAsync(database, rabbit, effects, TestLeases);

        var publication = await host.SubmitAsync(new FireWebhook("claim.updated"));

        var failed = await host.OperationWhenAsync(publication.OperationId, OperationStatus.Failed);
        Assert.Equal("processing_failed", failed.ErrorCode);
        Assert.Contains("HttpRequestException", failed.ErrorMessage);
        var entry = Assert.Single(await host.EntriesAsync());
        Assert.Equal(OperationStatus.Failed, entry.Status);
        Assert.Equal("processing_failed", entry.ErrorCode);
        Assert.Null(entry.LeaseExpiresAt);
        var (key, calls) = Assert.Single(effects.DownstreamCalls);
        Assert.Equal(2, calls);

        effects.AlwaysThrow = false;
        await RabbitMqRedrive.MoveErrorsBackAsync(rabbit, "webhook", expected: 1);

        await host.OperationWhenAsync(publication.OperationId, OperationStatus.Succeeded);
        Assert.Equal(key, Assert.Single(effects.DownstreamCalls).Key);
        Assert.Equal(3, effects.DownstreamCalls[key]);
        Assert.Equal(0, host.Metrics.Takeovers);
    }

    [Fact]
    public async Task Commit_retried_by_the_execution_strategy_after_the_effect_runs_the_delivery_again_and_loses_no_write()
    {
        // A leased consumer that leaves a write tracked: the inbox saves it with the outcome in one transaction, under
        // the application's retrying execution strategy. The failed attempt's save accepted the changes, so a retried
        // commit alone would record success without the write.
        await using var database = await TestDatabase.CreateAsync(DatabaseKind.Sqlite);
        var effects = new TestEffects { LeaveTracked = true };
        var flaky = new FlakyCommit();
        await using var host = await InboxHost.StartAsync(
            database,
            rabbit: null,
            effects,
            options =>
            {
                TestLeases(options);
                options.Retry = r => r.Immediate(2);
                options.Consumer<ClaimConsumer>(InboxMode.Leased);
            },
            dbOptions: options => flaky.Apply(options, database.ConnectionString));
        var armed = 0;
        effects.DuringClaim = () =>
        {
            // The first attempt's outcome, after the claim (which commits in its own transaction on SQLite).
            if (Interlocked.Exchange(ref armed, 1) == 0)
            {
                flaky.FailNextCommit();
            }
        };

        var publication = await host.SubmitAsync(new SubmitClaim("pat_1"));

        await host.OperationWhenAsync(publication.OperationId, OperationStatus.Succeeded);
        Assert.Equal(1, flaky.Failures);
        Assert.Equal(publication.OperationId, Assert.Single(await host.ClaimsAsync()).OperationId);
        Assert.Equal(2, effects.Invocations[publication.OperationId]);
        var entry = Assert.Single(await host.EntriesAsync());
        Assert.Equal(OperationStatus.Succeeded, entry.Status);
    }

    [Fact]
    public async Task Outcome_whose_operation_update_fails_records_nothing_and_the_operation_still_ends_terminal_on_sqlite()
    {
        // SQLite runs the entry's completion and the operation's as two statements: they must commit together, or a
        // succeeded entry would leave its operation processing forever (every redelivery a duplicate that repairs nothing).
        await using var database = await TestDatabase.CreateAsync(DatabaseKind.Sqlite);
        var effects = new TestEffects();
        await using var host = await InboxHost.StartAsync(database, rabbit: null, effects, TestLeases);
        await using (var db = host.CreateDbContext())
        {
            await db.Database.ExecuteSqlRawAsync(
                "CREATE TRIGGER refuse_success BEFORE UPDATE OF status ON inbox_operations WHEN NEW.status = 2 " +
                "BEGIN SELECT RAISE(ABORT, 'the operation update failed (test)'); END;");
        }

        var publication = await host.SubmitAsync(new FireWebhook("claim.updated"));

        await Eventually.TrueAsync("the delivery to end", () => Task.FromResult(host.Metrics.FailuresRecorded + host.Metrics.DuplicatesSkipped >= 1));
        Assert.Equal(0, host.Metrics.DuplicatesSkipped);
        var failed = await host.OperationWhenAsync(publication.OperationId, OperationStatus.Failed);
        Assert.Equal("processing_failed", failed.ErrorCode);
        var entry = Assert.Single(await host.EntriesAsync());
        Assert.Equal((OperationStatus.Failed, 2), (entry.Status, entry.Attempt));
        var (_, calls) = Assert.Single(effects.DownstreamCalls);
        Assert.Equal(2, calls);
    }

    [Fact]
    public async Task Failure_recorded_after_the_lease_passed_to_another_delivery_leaves_that_lease_and_the_operation_alone()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseKind.PostgreSql);
        await using var rabbit = await RabbitMqServer.CreateVirtualHostAsync();
        var effects = new TestEffects { AlwaysThrow = true };
        await using var host = await InboxHost.StartAsync(database, rabbit, effects, TestLeases);
        var calls = 0;
        effects.DuringDownstreamCall = async (_, cancellationToken) =>
        {
            // During its last attempt this delivery's lease runs out and another delivery takes the message over.
            if (Interlocked.Increment(ref calls) == 2)
            {
                await using var db = host.CreateDbContext();
                await db.Set<InboxEntry>().ExecuteUpdateAsync(
                    s => s.SetProperty(e => e.ClaimToken, "other-delivery").SetProperty(e => e.LeaseExpiresAt, DateTimeOffset.UtcNow.AddMinutes(10)),
                    cancellationToken);
            }
        };

        var publication = await host.SubmitAsync(new FireWebhook("claim.updated"));

        await Eventually.TrueAsync("the failure to be recorded", () => Task.FromResult(host.Metrics.FailuresRecorded == 1));
        var entry = Assert.Single(await host.EntriesAsync());
        Assert.Equal(("other-delivery", OperationStatus.Processing), (entry.ClaimToken, entry.Status));
        Assert.NotNull(entry.LeaseExpiresAt);
        Assert.Null(entry.ErrorCode);
        Assert.Equal(OperationStatus.Processing, (await host.OperationAsync(publication.OperationId))!.Status);
    }

    [Theory]
    [InlineData(DatabaseKind.PostgreSql, InboxMode.Leased)]
    [InlineData(DatabaseKind.Sqlite, InboxMode.Transactional)]
    public async Task Duplicate_that_finds_the_entry_succeeded_and_its_operation_unfinished_completes_the_operation(DatabaseKind kind, InboxMode mode)
    {
        // A completion lost between the entry and the operation (as defect 3 left them) is repaired by the next copy.
        await using var database = await TestDatabase.CreateAsync(kind);
        await using var rabbit = kind == DatabaseKind.PostgreSql ? await RabbitMqServer.CreateVirtualHostAsync() : null;
        var effects = new TestEffects();
        await using var host = await InboxHost.StartAsync(database, rabbit, effects, options =>
        {
            TestLeases(options);
            options.Consumer<WebhookConsumer>(mode);
        });
        var publication = await host.AcceptAsync(new FireWebhook("claim.updated"));
        await using (var db = host.CreateDbContext())
        {
            var now = DateTimeOffset.UtcNow;
            db.Add(new InboxEntry
            {
                Consumer = WebhookConsumerName,
                MessageKey = "op:" + publication.OperationId,
                Status = OperationStatus.Succeeded,
                OperationId = publication.OperationId,
                ClaimToken = "earlier",
                Attempt = 1,
                Result = "{\"webhook_id\":\"dk_earlier\"}",
                CreatedAt = now,
                UpdatedAt = now,
                ExpiresAt = now.AddHours(1),
            });
            await db.SaveChangesAsync();
        }

        await host.PublishAsync(publication);

        await Eventually.TrueAsync("the duplicate to be skipped", () => Task.FromResult(host.Metrics.DuplicatesSkipped == 1));
        var operation = await host.OperationAsync(publication.OperationId);
        Assert.Equal((OperationStatus.Succeeded, "{\"webhook_id\":\"dk_earlier\"}"), (operation!.Status, operation.Result));
        Assert.Empty(effects.DownstreamCalls);
    }

    [Fact]
    public async Task Fresh_leased_message_costs_two_commands_and_holds_no_transaction_across_the_effect()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseKind.PostgreSql);
        await using var rabbit = await RabbitMqServer.CreateVirtualHostAsync();
        var effects = new TestEffects();
        var transactionsDuringEffect = -1;
        await using var host = await InboxHost.StartAsync(database, rabbit, effects);
        effects.DuringDownstreamCall = (_, _) =>
        {
            transactionsDuringEffect = host.Commands.Transactions;
            return Task.CompletedTask;
        };
        var warmup = await host.SubmitAsync(new FireWebhook("warm"));
        await host.OperationWhenAsync(warmup.OperationId, OperationStatus.Succeeded);

        // The warm-up's outcome is visible before its command has finished reporting; the metric comes after both.
        await Eventually.TrueAsync("the warm-up to be consumed", () => Task.FromResult(host.Metrics.Consumed == 1));
        host.Commands.Reset();
        await host.SubmitAsync(new FireWebhook("claim.updated"));
        await Eventually.TrueAsync("the second message", () => Task.FromResult(host.Metrics.Consumed == 2));

        // The submit is one command; then the claim (which also starts the operation) and the outcome.
        Assert.True(host.Commands.Commands == 1 + 2, string.Join(Environment.NewLine, host.Commands.Names));
        Assert.Equal(0, host.Commands.Transactions);
        Assert.Equal(0, transactionsDuringEffect);
    }
}
