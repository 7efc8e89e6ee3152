using System.Text.Json;
using Inbox.EntityFrameworkCore.Model;
using Inbox.MassTransit.Tests.Support;
using Inbox.Operations;
using Inbox.Testing;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace Inbox.MassTransit.Tests.Consuming;

/// <summary>Guarantee 3 in transactional mode, over a real RabbitMQ and a real PostgreSQL.</summary>
public sealed class TransactionalInboxTests
{
    [Fact]
    public async Task Operation_published_five_times_quickly_and_with_delays_has_one_effect_and_one_result()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseKind.PostgreSql);
        await using var rabbit = await RabbitMqServer.CreateVirtualHostAsync();
        var effects = new TestEffects();
        await using var host = await InboxHost.StartAsync(database, rabbit, effects);

        var publication = await host.SubmitAsync(new SubmitClaim("pat_123"));
        await host.PublishAsync(publication);
        await host.PublishAsync(publication);
        var succeeded = await host.OperationWhenAsync(publication.OperationId, OperationStatus.Succeeded);
        await host.PublishAsync(publication);
        await Task.Delay(200);
        await host.PublishAsync(publication);

        await Eventually.TrueAsync("four duplicates to be skipped", () =>
            Task.FromResult(host.Metrics.DuplicatesSkipped == 4));
        Assert.Equal(1, effects.Invocations.Values.Sum());
        Assert.Equal(1, host.Metrics.Consumed);

        var claims = await host.ClaimsAsync();
        var claim = Assert.Single(claims);
        Assert.Equal(publication.OperationId, claim.OperationId);
        var operation = await host.OperationWhenAsync(publication.OperationId, OperationStatus.Succeeded);
        Assert.Equal(succeeded.Result, operation.Result);
        Assert.Equal(succeeded.UpdatedAt, operation.UpdatedAt);
        using var result = JsonDocument.Parse(operation.Result!);
        Assert.Equal("clm_" + claim.Id.ToString("N")[..12], result.RootElement.GetProperty("claim_id").GetString());
        var entry = Assert.Single(await host.EntriesAsync());
        Assert.Equal(OperationStatus.Succeeded, entry.Status);
        Assert.Equal(operation.Result, entry.Result);
        Assert.Equal("op:" + publication.OperationId, entry.MessageKey);
        Assert.Equal(typeof(ClaimConsumer).FullName, entry.Consumer);
        Assert.Equal(publication.ExpiresAt + TimeSpan.FromHours(1), entry.ExpiresAt, TimeSpan.FromMilliseconds(1));
    }

    [Fact]
    public async Task Two_bus_instances_consuming_a_burst_of_500_operations_with_duplicates_run_every_operation_once()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseKind.PostgreSql);
        await using var rabbit = await RabbitMqServer.CreateVirtualHostAsync();
        var effects = new TestEffects();
        await using var first = await InboxHost.StartAsync(database, rabbit, effects);
        await using var second = await InboxHost.StartAsync(database, rabbit, effects);

        var publications = new List<Inbox.Publishing.OperationPublication>();
        for (var i = 0; i < 500; i++)
        {
            publications.Add(await first.SubmitAsync(new SubmitClaim("pat_" + i)));
        }

        // Every other operation is published again from the other instance, as a retrying relay would.
        foreach (var publication in publications.Where((_, i) => i % 2 == 0))
        {
            await second.PublishAsync(publication);
        }

        await Eventually.TrueAsync("500 operations to succeed", async () =>
        {
            await using var db = first.CreateDbContext();
            return db.Set<InboxOperation>().Count(o => o.Status == OperationStatus.Succeeded) == 500;
        }, TimeSpan.FromSeconds(120));
        await Eventually.TrueAsync("250 duplicates to be skipped", () =>
            Task.FromResult(first.Metrics.DuplicatesSkipped + second.Metrics.DuplicatesSkipped == 250));

        var claims = await first.ClaimsAsync();
        Assert.Equal(500, claims.Count);
        Assert.Equal(500, claims.Select(c => c.OperationId).Distinct().Count());
        Assert.All(effects.Invocations.Values, n => Assert.Equal(1, n));
        Assert.True(first.Metrics.Consumed > 0 && second.Metrics.Consumed > 0, "both instances consumed");
    }

    [Fact]
    public async Task Exception_after_the_consumer_wrote_leaves_nothing_and_the_retry_succeeds_once()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseKind.PostgreSql);
        await using var rabbit = await RabbitMqServer.CreateVirtualHostAsync();
        var effects = new TestEffects { TransientFailuresLeft = 1 };
        await using var host = await InboxHost.StartAsync(database, rabbit, effects);

        var publication = await host.SubmitAsync(new SubmitClaim("pat_1"));

        await host.OperationWhenAsync(publication.OperationId, OperationStatus.Succeeded);
        Assert.Equal(2, effects.Invocations[publication.OperationId]);
        Assert.Single(await host.ClaimsAsync());
        var entry = Assert.Single(await host.EntriesAsync());
        Assert.Equal(1, entry.Attempt);
    }

    [Fact]
    public async Task Exhausted_retries_fail_the_operation_a_redrive_runs_it_and_a_succeeded_one_never_runs_again()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseKind.PostgreSql);
        await using var rabbit = await RabbitMqServer.CreateVirtualHostAsync();
        var effects = new TestEffects { AlwaysThrow = true };
        await using var host = await InboxHost.StartAsync(database, rabbit, effects, inbox => inbox.Retry = r => r.Immediate(2));

        var publication = await host.SubmitAsync(new SubmitClaim("pat_1"));

        var failed = await host.OperationWhenAsync(publication.OperationId, OperationStatus.Failed);
        Assert.Equal("processing_failed", failed.ErrorCode);
        Assert.Equal("Processing failed and its retries are exhausted (InvalidOperationException).", failed.ErrorMessage);
        Assert.Equal(3, effects.Invocations[publication.OperationId]);
        Assert.Empty(await host.ClaimsAsync());
        Assert.Empty(await host.EntriesAsync());

        // The operation is visible as failed when the failure record commits; the metric comes after the commit.
        await Eventually.TrueAsync("the failure to be counted", () => Task.FromResult(host.Metrics.FailuresRecorded == 1));

        effects.AlwaysThrow = false;
        var redriven = await RabbitMqRedrive.MoveErrorsBackAsync(rabbit, "claim", expected: 1);

        var succeeded = await host.OperationWhenAsync(publication.OperationId, OperationStatus.Succeeded);
        Assert.Null(succeeded.ErrorCode);
        Assert.NotNull(succeeded.Result);
        Assert.Single(await host.ClaimsAsync());

        await RabbitMqRedrive.SendAgainAsync(rabbit, "claim", redriven);
        await Eventually.TrueAsync("the second redrive to be skipped", () => Task.FromResult(host.Metrics.DuplicatesSkipped == 1));
        Assert.Equal(4, effects.Invocations[publication.OperationId]);
        Assert.Single(await host.ClaimsAsync());
        Assert.Equal(succeeded.Result, (await host.OperationAsync(publication.OperationId))!.Result);
    }

    [Fact]
    public async Task Operation_failed_by_the_consumer_is_not_retried_and_shows_its_error()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseKind.PostgreSql);
        await using var rabbit = await RabbitMqServer.CreateVirtualHostAsync();
        var effects = new TestEffects { RejectClaims = true };
        await using var host = await InboxHost.StartAsync(database, rabbit, effects);

        var publication = await host.SubmitAsync(new SubmitClaim("pat_1"));

        var failed = await host.OperationWhenAsync(publication.OperationId, OperationStatus.Failed);
        Assert.Equal("payer_rejected", failed.ErrorCode);
        Assert.Equal("The payer rejected the claim.", failed.ErrorMessage);
        Assert.Equal(1, effects.Invocations[publication.OperationId]);
        Assert.Empty(await host.ClaimsAsync());
    }

    [Fact]
    public async Task Message_without_an_operation_or_key_is_deduplicated_on_its_message_id()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseKind.PostgreSql);
        await using var rabbit = await RabbitMqServer.CreateVirtualHostAsync();
        var effects = new TestEffects();
        await using var host = await InboxHost.StartAsync(database, rabbit, effects);
        var bus = host.Services.GetRequiredService<global::MassTransit.IBus>();
        var messageId = Guid.NewGuid();

        for (var i = 0; i < 3; i++)
        {
            await bus.Publish(new RecordNote("hello"), context => context.MessageId = messageId);
        }

        await bus.Publish(new RecordNote("another message"));

        await Eventually.TrueAsync("two notes and two duplicates", () =>
            Task.FromResult(host.Metrics.Consumed == 2 && host.Metrics.DuplicatesSkipped == 2));
        await using var db = host.CreateDbContext();
        Assert.Equal(["another message", "hello"], db.Notes.Select(n => n.Text).OrderBy(t => t).ToArray());
        Assert.Contains(await host.EntriesAsync(), e => e.MessageKey == "msg:" + messageId.ToString("N") && e.OperationId is null);
    }

    [Theory]
    [InlineData(DatabaseKind.PostgreSql)]
    [InlineData(DatabaseKind.Sqlite)]
    public async Task Expiry_header_with_an_offset_from_another_publisher_is_kept_as_the_same_instant_in_utc(DatabaseKind kind)
    {
        // Npgsql refuses a non-UTC offset for timestamptz, and SQLite compares the stored text, so the sweeper would
        // misjudge an entry kept with another offset.
        await using var database = await TestDatabase.CreateAsync(kind);
        await using var rabbit = kind == DatabaseKind.PostgreSql ? await RabbitMqServer.CreateVirtualHostAsync() : null;
        var effects = new TestEffects();
        await using var host = await InboxHost.StartAsync(database, rabbit, effects);
        var bus = host.Services.GetRequiredService<global::MassTransit.IBus>();
        var expiresAt = new DateTimeOffset(2030, 1, 2, 12, 30, 0, TimeSpan.FromHours(2));

        await bus.Publish(new RecordNote("hello"), context => context.Headers.Set(Inbox.Publishing.OperationHeaders.ExpiresAt, "2030-01-02T12:30:00+02:00"));

        await Eventually.TrueAsync("the note", () => Task.FromResult(host.Metrics.Consumed == 1));
        var entry = Assert.Single(await host.EntriesAsync());
        Assert.Equal(TimeSpan.Zero, entry.ExpiresAt.Offset);
        Assert.Equal(expiresAt + TimeSpan.FromHours(1), entry.ExpiresAt);
    }

    [Fact]
    public async Task Message_with_a_key_but_no_operation_is_deduplicated_on_its_scope_and_key()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseKind.PostgreSql);
        await using var rabbit = await RabbitMqServer.CreateVirtualHostAsync();
        var effects = new TestEffects();
        await using var host = await InboxHost.StartAsync(database, rabbit, effects);
        var bus = host.Services.GetRequiredService<global::MassTransit.IBus>();

        // Three publishes of one key in one scope, each with its own MessageId (a producer that retried without
        // the HTTP side); then the same key in another tenant's scope, which is another message.
        foreach (var (text, tenant) in new[] { ("org a", "org_a"), ("org a", "org_a"), ("org a", "org_a"), ("org b", "org_b") })
        {
            await bus.Publish(new RecordNote(text), context =>
            {
                context.MessageId = NewId.NextGuid();
                context.Headers.Set(Inbox.Publishing.OperationHeaders.IdempotencyKey, "key-1");
                context.Headers.Set(Inbox.Publishing.OperationHeaders.Tenant, tenant);
                context.Headers.Set(Inbox.Publishing.OperationHeaders.Endpoint, "POST /notes");
            });
        }

        await Eventually.TrueAsync("two notes and two duplicates", () =>
            Task.FromResult(host.Metrics.Consumed == 2 && host.Metrics.DuplicatesSkipped == 2));
        await using var db = host.CreateDbContext();
        Assert.Equal(["org a", "org b"], db.Notes.Select(n => n.Text).OrderBy(t => t).ToArray());
        var entries = await host.EntriesAsync();
        Assert.Equal(2, entries.Count);
        Assert.All(entries, e => Assert.StartsWith("key:", e.MessageKey));
        Assert.All(entries, e => Assert.Null(e.OperationId));
        Assert.NotEqual(entries[0].MessageKey, entries[1].MessageKey);
    }

    [Fact]
    public async Task Each_delivery_is_an_inbox_consume_activity_tagged_with_its_consumer_mode_key_and_outcome()
    {
        var stopped = new System.Collections.Concurrent.ConcurrentQueue<System.Diagnostics.Activity>();
        using var listener = new System.Diagnostics.ActivityListener
        {
            ShouldListenTo = source => source.Name == Inbox.Diagnostics.InboxDiagnostics.Name,
            Sample = (ref System.Diagnostics.ActivityCreationOptions<System.Diagnostics.ActivityContext> _) =>
                System.Diagnostics.ActivitySamplingResult.AllData,
            ActivityStopped = stopped.Enqueue,
        };
        System.Diagnostics.ActivitySource.AddActivityListener(listener);
        await using var database = await TestDatabase.CreateAsync(DatabaseKind.PostgreSql);
        await using var rabbit = await RabbitMqServer.CreateVirtualHostAsync();
        var effects = new TestEffects();
        await using var host = await InboxHost.StartAsync(database, rabbit, effects);

        var publication = await host.SubmitAsync(new SubmitClaim("pat_1"));
        await host.OperationWhenAsync(publication.OperationId, OperationStatus.Succeeded);
        await host.PublishAsync(publication);

        // Other tests run alongside and share the source: keep this operation's activities only.
        var mine = await Eventually.ReturnsAsync("two inbox.consume activities for the operation",
            () => Task.FromResult(stopped.Where(a => a.OperationName == "inbox.consume" &&
                (string?)a.GetTagItem("inbox.message_key") == "op:" + publication.OperationId).ToArray()),
            activities => activities.Length == 2);
        Assert.All(mine, a => Assert.Equal(typeof(ClaimConsumer).FullName, a.GetTagItem("inbox.consumer")));
        Assert.All(mine, a => Assert.Equal("Transactional", a.GetTagItem("inbox.mode")));
        Assert.Equal(["consumed", "duplicate"], mine.Select(a => (string)a.GetTagItem("inbox.outcome")!).Order().ToArray());
    }

    [Fact]
    public async Task Two_consumers_of_one_message_each_keep_their_own_entry_and_run_once()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseKind.PostgreSql);
        await using var rabbit = await RabbitMqServer.CreateVirtualHostAsync();
        var effects = new TestEffects();
        await using var host = await InboxHost.StartAsync(database, rabbit, effects,
            inbox => inbox.Consumer<ClaimAuditConsumer>(InboxMode.Transactional, completesOperation: false),
            consumers: bus => bus.AddConsumer<ClaimAuditConsumer>());

        var publication = await host.SubmitAsync(new SubmitClaim("pat_1"));
        var succeeded = await host.OperationWhenAsync(publication.OperationId, OperationStatus.Succeeded);
        await host.PublishAsync(publication);

        await Eventually.TrueAsync("each consumer to run once and skip its duplicate", () =>
            Task.FromResult(host.Metrics.Consumed == 2 && host.Metrics.DuplicatesSkipped == 2));
        var entries = await host.EntriesAsync();
        Assert.All(entries, e => Assert.Equal("op:" + publication.OperationId, e.MessageKey));
        Assert.Equal(
            new[] { typeof(ClaimAuditConsumer).FullName, typeof(ClaimConsumer).FullName },
            entries.Select(e => e.Consumer).Order().ToArray());
        Assert.Equal(1, effects.Invocations[publication.OperationId]);
        Assert.Equal(1, effects.Invocations["audit:" + publication.OperationId]);
        Assert.Single(await host.ClaimsAsync());
        await using var db = host.CreateDbContext();
        Assert.Equal(["audited pat_1"], db.Notes.Select(n => n.Text).ToArray());
        Assert.Contains("clm_", succeeded.Result);
    }

    [Fact]
    public async Task Fresh_message_costs_one_transaction_and_three_commands()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseKind.PostgreSql);
        await using var rabbit = await RabbitMqServer.CreateVirtualHostAsync();
        var effects = new TestEffects();
        await using var host = await InboxHost.StartAsync(database, rabbit, effects);
        var warmup = await host.SubmitAsync(new SubmitClaim("warm"));
        await host.OperationWhenAsync(warmup.OperationId, OperationStatus.Succeeded);

        var publication = await host.SubmitAsync(new SubmitClaim("pat_1"));
        await host.OperationWhenAsync(publication.OperationId, OperationStatus.Succeeded);
        host.Commands.Reset();
        await host.SubmitAsync(new SubmitClaim("pat_2"));
        await Eventually.TrueAsync("the third message", () => Task.FromResult(host.Metrics.Consumed == 3));

        // The submit is one command (the accept). Then the claim, the consumer's insert and the outcome.
        Assert.True(host.Commands.Commands == 1 + 3, string.Join(Environment.NewLine, host.Commands.Names));
        Assert.Equal(1, host.Commands.Transactions);
        Assert.Equal(1, host.Commands.Commits);
    }
}
