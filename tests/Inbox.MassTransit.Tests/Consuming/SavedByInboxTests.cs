using Inbox.EntityFrameworkCore.Model;
using Inbox.MassTransit.Tests.Support;
using Inbox.Operations;
using Inbox.Publishing;
using Inbox.Testing;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Inbox.MassTransit.Tests.Consuming;

/// <summary>
/// Guarantee 3 when the inbox saves the consumer's changes with its claim (<see cref="InboxMode.SavedByInbox"/>): one
/// batch on PostgreSQL, one transaction on SQLite. The claim consumer leaves its row tracked in this mode.
/// </summary>
public sealed class SavedByInboxTests
{
    /// <summary>A claim message whose operation row does not exist (swept, or never stored here).</summary>
    private static OperationPublication PublicationWithoutOperationRow() => new()
    {
        OperationId = RandomIds.NewOperationId(),
        Scope = new OperationScope("org_a", "POST /v1/test"),
        IdempotencyKey = "key-1",
        ExpiresAt = DateTimeOffset.UtcNow.AddHours(1),
        Message = new SubmitClaim("pat_1"),
        MessageType = typeof(SubmitClaim),
    };

    private static Task<InboxHost> StartAsync(
        TestDatabase database, RabbitMqVirtualHost? rabbit, TestEffects effects, Action<IdempotentInboxOptions>? inbox = null,
        Action<DbContextOptionsBuilder>? dbOptions = null) =>
        InboxHost.StartAsync(
            database,
            rabbit,
            effects,
            options =>
            {
                options.Consumer<ClaimConsumer>(InboxMode.SavedByInbox);
                inbox?.Invoke(options);
            },
            dbOptions: dbOptions);

    [Theory]
    [InlineData(DatabaseKind.PostgreSql)]
    [InlineData(DatabaseKind.Sqlite)]
    public async Task Operation_published_five_times_quickly_and_with_delays_is_saved_once_with_one_result(DatabaseKind kind)
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        await using var rabbit = kind == DatabaseKind.PostgreSql ? await RabbitMqServer.CreateVirtualHostAsync() : null;
        var effects = new TestEffects();
        await using var host = await StartAsync(database, rabbit, effects);

        var publication = await host.SubmitAsync(new SubmitClaim("pat_123"));
        await host.PublishAsync(publication);
        await host.PublishAsync(publication);
        var succeeded = await host.OperationWhenAsync(publication.OperationId, OperationStatus.Succeeded);
        await host.PublishAsync(publication);
        await Task.Delay(200);
        await host.PublishAsync(publication);

        await Eventually.TrueAsync("four duplicates to be skipped", () => Task.FromResult(host.Metrics.DuplicatesSkipped == 4));
        Assert.Equal(1, host.Metrics.Consumed);
        var claim = Assert.Single(await host.ClaimsAsync());
        Assert.Equal(publication.OperationId, claim.OperationId);
        var operation = await host.OperationWhenAsync(publication.OperationId, OperationStatus.Succeeded);
        Assert.Equal((succeeded.Result, succeeded.UpdatedAt), (operation.Result, operation.UpdatedAt));
        Assert.Contains("clm_" + claim.Id.ToString("N")[..12], operation.Result);
        var entry = Assert.Single(await host.EntriesAsync());
        Assert.Equal((OperationStatus.Succeeded, operation.Result, 1), (entry.Status, entry.Result, entry.Attempt));
        Assert.Equal(InboxMode.SavedByInbox, effects.ClaimModes.Distinct().Single());
    }

    [Fact]
    public async Task Two_bus_instances_consuming_a_burst_with_duplicates_save_every_operation_once()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseKind.PostgreSql);
        await using var rabbit = await RabbitMqServer.CreateVirtualHostAsync();
        var effects = new TestEffects();
        await using var first = await StartAsync(database, rabbit, effects);
        await using var second = await StartAsync(database, rabbit, effects);

        var publications = new List<OperationPublication>();
        for (var i = 0; i < 200; i++)
        {
            publications.Add(await first.SubmitAsync(new SubmitClaim("pat_" + i)));
        }

        await Task.WhenAll(publications.Where((_, i) => i % 2 == 0).Select(second.PublishAsync));

        await Eventually.TrueAsync("200 operations to succeed", async () =>
        {
            await using var db = first.CreateDbContext();
            return await db.Set<InboxOperation>().CountAsync(o => o.Status == OperationStatus.Succeeded) == 200;
        }, TimeSpan.FromSeconds(120));
        await Eventually.TrueAsync("200 saves and 100 duplicates skipped", () => Task.FromResult(
            first.Metrics.Consumed + second.Metrics.Consumed == 200 && first.Metrics.DuplicatesSkipped + second.Metrics.DuplicatesSkipped == 100));
        var claims = await first.ClaimsAsync();
        Assert.Equal(200, claims.Count);
        Assert.Equal(200, claims.Select(c => c.OperationId).Distinct().Count());
    }

    [Fact]
    public async Task Exception_after_the_consumer_tracked_its_write_leaves_nothing_and_the_retry_saves_once()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseKind.PostgreSql);
        await using var rabbit = await RabbitMqServer.CreateVirtualHostAsync();
        var effects = new TestEffects { TransientFailuresLeft = 1 };
        await using var host = await StartAsync(database, rabbit, effects);

        var publication = await host.SubmitAsync(new SubmitClaim("pat_1"));

        await host.OperationWhenAsync(publication.OperationId, OperationStatus.Succeeded);
        Assert.Equal(2, effects.Invocations[publication.OperationId]);
        Assert.Single(await host.ClaimsAsync());
        Assert.Equal(1, Assert.Single(await host.EntriesAsync()).Attempt);
    }

    [Fact]
    public async Task Exhausted_retries_fail_the_operation_a_redrive_saves_it_and_a_succeeded_one_is_not_saved_again()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseKind.PostgreSql);
        await using var rabbit = await RabbitMqServer.CreateVirtualHostAsync();
        var effects = new TestEffects { AlwaysThrow = true };
        await using var host = await StartAsync(database, rabbit, effects, inbox => inbox.Retry = r => r.Immediate(2));

        var publication = await host.SubmitAsync(new SubmitClaim("pat_1"));

        var failed = await host.OperationWhenAsync(publication.OperationId, OperationStatus.Failed);
        Assert.Equal("processing_failed", failed.ErrorCode);
        Assert.Empty(await host.ClaimsAsync());
        Assert.Empty(await host.EntriesAsync());

        effects.AlwaysThrow = false;
        var redriven = await RabbitMqRedrive.MoveErrorsBackAsync(rabbit, "claim", expected: 1);
        var succeeded = await host.OperationWhenAsync(publication.OperationId, OperationStatus.Succeeded);
        Assert.Null(succeeded.ErrorCode);
        Assert.Single(await host.ClaimsAsync());

        await RabbitMqRedrive.SendAgainAsync(rabbit, "claim", redriven);
        await Eventually.TrueAsync("the second redrive to be skipped", () => Task.FromResult(host.Metrics.DuplicatesSkipped == 1));
        Assert.Single(await host.ClaimsAsync());
        var after = await host.OperationAsync(publication.OperationId);
        Assert.Equal((succeeded.Result, succeeded.UpdatedAt), (after!.Result, after.UpdatedAt));
    }

    [Theory]
    [InlineData(DatabaseKind.PostgreSql)]
    [InlineData(DatabaseKind.Sqlite)]
    public async Task Consumer_that_calls_save_changes_is_refused_and_nothing_is_stored(DatabaseKind kind)
    {
        await using var database = await TestDatabase.CreateAsync(kind);
        await using var rabbit = kind == DatabaseKind.PostgreSql ? await RabbitMqServer.CreateVirtualHostAsync() : null;
        var effects = new TestEffects { SaveAnyway = true };
        await using var host = await StartAsync(database, rabbit, effects, inbox => inbox.Retry = r => r.Immediate(1));

        var publication = await host.SubmitAsync(new SubmitClaim("pat_1"));

        var failed = await host.OperationWhenAsync(publication.OperationId, OperationStatus.Failed);
        Assert.Equal("processing_failed", failed.ErrorCode);
        Assert.Equal(2, effects.SaveErrors.Count);
        Assert.All(effects.SaveErrors, message => Assert.Equal(
            $"{typeof(ClaimConsumer).FullName} runs in InboxMode.SavedByInbox: leave its changes tracked and let the inbox save them with its claim. " +
            "Use InboxMode.Transactional to call SaveChanges yourself.",
            message));
        Assert.Empty(await host.ClaimsAsync());
        Assert.Empty(await host.EntriesAsync());
    }

    [Fact]
    public async Task Commit_retried_by_the_execution_strategy_runs_the_whole_delivery_again_and_loses_no_write()
    {
        // SQLite saves the transactional way, where the application's execution strategy retries a failed commit.
        // The consumer's changes were accepted by the failed attempt's save, so only a fresh run can save them again.
        await using var database = await TestDatabase.CreateAsync(DatabaseKind.Sqlite);
        var effects = new TestEffects();
        var flaky = new FlakyCommit();
        await using var host = await StartAsync(
            database, rabbit: null, effects, inbox => inbox.Retry = r => r.Immediate(2), options => flaky.Apply(options, database.ConnectionString));
        var publication = await host.AcceptAsync(new SubmitClaim("pat_1"));

        flaky.FailNextCommit();
        await host.PublishAsync(publication);

        await host.OperationWhenAsync(publication.OperationId, OperationStatus.Succeeded);
        Assert.Equal(publication.OperationId, Assert.Single(await host.ClaimsAsync()).OperationId);
        Assert.Equal(1, flaky.Failures);
        Assert.Equal(2, effects.Invocations[publication.OperationId]);
        var entry = Assert.Single(await host.EntriesAsync());
        Assert.Equal((OperationStatus.Succeeded, 1), (entry.Status, entry.Attempt));
    }

    [Fact]
    public async Task Consumer_that_begins_a_transaction_is_refused_and_nothing_is_stored()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseKind.PostgreSql);
        await using var rabbit = await RabbitMqServer.CreateVirtualHostAsync();
        var effects = new TestEffects { BeginTransaction = true };
        await using var host = await StartAsync(database, rabbit, effects, inbox => inbox.Retry = r => r.Immediate(1));

        var publication = await host.SubmitAsync(new SubmitClaim("pat_1"));

        var failed = await host.OperationWhenAsync(publication.OperationId, OperationStatus.Failed);
        Assert.Equal("processing_failed", failed.ErrorCode);
        Assert.Equal(2, effects.Invocations[publication.OperationId]);
        Assert.Empty(await host.ClaimsAsync());
        Assert.Empty(await host.EntriesAsync());
        var faulted = Assert.Single(await RabbitMqRedrive.MoveErrorsBackAsync(rabbit, "claim", expected: 1));
        var fault = System.Text.Encoding.UTF8.GetString((byte[])faulted.Properties.Headers!["MT-Fault-Message"]!);
        Assert.StartsWith($"{typeof(ClaimConsumer).FullName} runs in InboxMode.SavedByInbox and began a transaction", fault);
    }

    [Fact]
    public async Task Message_of_an_operation_that_is_gone_is_still_saved_once()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseKind.PostgreSql);
        await using var rabbit = await RabbitMqServer.CreateVirtualHostAsync();
        var effects = new TestEffects();
        await using var host = await StartAsync(database, rabbit, effects);
        var publication = PublicationWithoutOperationRow();

        await host.PublishAsync(publication);
        await host.PublishAsync(publication);

        await Eventually.TrueAsync("one save and one duplicate", () =>
            Task.FromResult(host.Metrics.Consumed == 1 && host.Metrics.DuplicatesSkipped == 1));
        Assert.Equal(publication.OperationId, Assert.Single(await host.ClaimsAsync()).OperationId);
        Assert.Equal(OperationStatus.Succeeded, Assert.Single(await host.EntriesAsync()).Status);
        Assert.Null(await host.OperationAsync(publication.OperationId));
    }

    [Theory]
    [InlineData(OperationStatus.Succeeded, false)]
    [InlineData(OperationStatus.Processing, false)]
    [InlineData(OperationStatus.Failed, false)]
    [InlineData(OperationStatus.Succeeded, true)]
    [InlineData(OperationStatus.Processing, true)]
    [InlineData(OperationStatus.Failed, true)]
    public async Task Operation_no_longer_accepted_keeps_a_recorded_result_and_is_completed_otherwise(OperationStatus before, bool saveHandler)
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseKind.PostgreSql);
        await using var rabbit = await RabbitMqServer.CreateVirtualHostAsync();
        var effects = new TestEffects { ObserveSaves = saveHandler };
        await using var host = await StartAsync(database, rabbit, effects);
        var publication = await host.AcceptAsync(new SubmitClaim("pat_1"));
        var earlier = DateTimeOffset.UnixEpoch.AddSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 60);
        await using (var db = host.CreateDbContext())
        {
            // What another consumer of the operation leaves (a result, or a leased start), or a failure before a redrive.
            await db.Set<InboxOperation>().Where(o => o.Id == publication.OperationId).ExecuteUpdateAsync(o => o
                .SetProperty(p => p.Status, before)
                .SetProperty(p => p.Result, before == OperationStatus.Succeeded ? "\"earlier\"" : null)
                .SetProperty(p => p.UpdatedAt, earlier));
        }

        host.Commands.Reset();
        await host.PublishAsync(publication);

        await Eventually.TrueAsync("the message to be saved", () => Task.FromResult(host.Metrics.Consumed == 1));

        // Without save handlers: one prepared batch, whose completion skips a succeeded operation. With one, EF Core
        // saves (and raises the handler): its update matches no row, the entry is read back, the guarded SQL completes.
        Assert.True(host.Commands.Commands == (saveHandler ? 3 : 1), string.Join(Environment.NewLine, host.Commands.Names));
        Assert.Equal(saveHandler ? 1 : 0, effects.SavesObserved);
        Assert.Equal(0, host.Commands.Transactions);
        var claim = Assert.Single(await host.ClaimsAsync());
        var entry = Assert.Single(await host.EntriesAsync());
        Assert.Equal(OperationStatus.Succeeded, entry.Status);
        Assert.Contains("clm_" + claim.Id.ToString("N")[..12], entry.Result);
        var operation = (await host.OperationAsync(publication.OperationId))!;
        Assert.Equal(OperationStatus.Succeeded, operation.Status);
        if (before == OperationStatus.Succeeded)
        {
            Assert.Equal(("\"earlier\"", earlier), (operation.Result, operation.UpdatedAt));
        }
        else
        {
            Assert.Equal(entry.Result, operation.Result);
        }
    }

    [Fact]
    public async Task Message_whose_entry_failed_before_is_redriven_the_transactional_way_once()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseKind.PostgreSql);
        await using var rabbit = await RabbitMqServer.CreateVirtualHostAsync();
        var effects = new TestEffects();
        await using var host = await StartAsync(database, rabbit, effects);
        var publication = PublicationWithoutOperationRow();
        await using (var db = host.CreateDbContext())
        {
            // What a failed attempt leaves in leased mode, before the consumer moved to SavedByInbox.
            var now = DateTimeOffset.UtcNow;
            db.Add(new InboxEntry
            {
                Consumer = typeof(ClaimConsumer).FullName!, MessageKey = "op:" + publication.OperationId, Status = OperationStatus.Failed,
                OperationId = publication.OperationId, ClaimToken = "earlier", Attempt = 1, CreatedAt = now, UpdatedAt = now,
                ExpiresAt = now.AddHours(2), ErrorCode = "processing_failed",
            });
            await db.SaveChangesAsync();
        }

        await host.PublishAsync(publication);

        await Eventually.TrueAsync("the redrive to be saved", () => Task.FromResult(host.Metrics.Consumed == 1));
        var entry = Assert.Single(await host.EntriesAsync());
        Assert.Equal((OperationStatus.Succeeded, 2, null), (entry.Status, entry.Attempt, entry.ErrorCode));
        Assert.NotEqual("earlier", entry.ClaimToken);
        Assert.Equal(publication.OperationId, Assert.Single(await host.ClaimsAsync()).OperationId);
    }

    [Fact]
    public async Task Fresh_message_on_postgresql_costs_one_command_and_no_explicit_transaction()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseKind.PostgreSql);
        await using var rabbit = await RabbitMqServer.CreateVirtualHostAsync();
        var effects = new TestEffects();
        await using var host = await StartAsync(database, rabbit, effects);
        var warmup = await host.SubmitAsync(new SubmitClaim("warm"));
        await host.OperationWhenAsync(warmup.OperationId, OperationStatus.Succeeded);

        // The warm-up's outcome is visible before its command has finished reporting; the metric comes after both.
        await Eventually.TrueAsync("the warm-up to be consumed", () => Task.FromResult(host.Metrics.Consumed == 1));
        host.Commands.Reset();
        var publication = await host.SubmitAsync(new SubmitClaim("pat_1"));
        await Eventually.TrueAsync("the second message", () => Task.FromResult(host.Metrics.Consumed == 2));

        // The submit is one command (the accept). Then one batch: the consumer's insert, the claim and the outcome.
        Assert.True(host.Commands.Commands == 1 + 1, string.Join(Environment.NewLine, host.Commands.Names));
        Assert.Equal(0, host.Commands.Transactions);
        Assert.Single(await host.ClaimsAsync(), c => c.OperationId == publication.OperationId);
        Assert.Equal(OperationStatus.Succeeded, (await host.OperationAsync(publication.OperationId))!.Status);
    }
}
