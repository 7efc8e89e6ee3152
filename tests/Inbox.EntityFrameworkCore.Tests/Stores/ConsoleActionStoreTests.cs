using Inbox.Background;
using Inbox.Claims;
using Inbox.EntityFrameworkCore.Inbox;
using Inbox.EntityFrameworkCore.Model;
using Inbox.EntityFrameworkCore.Stores;
using Inbox.EntityFrameworkCore.Tests.Support;
using Inbox.Operating;
using Inbox.Operations;
using Inbox.Testing;
using Microsoft.EntityFrameworkCore;

namespace Inbox.EntityFrameworkCore.Tests.Stores;

/// <summary>
/// The console's actions against each provider (SQL Server where one exists): a redrive hands a failed operation back
/// to the consumer inbox's own transitions, and never overwrites a consumer's concurrent outcome.
/// </summary>
public abstract class ConsoleActionStoreTests
{
    private const string Consumer = "Tests.WebhookConsumer";
    private static readonly DateTimeOffset Now = StoreFixture.Start;

    protected abstract DatabaseKind Kind { get; }

    private static EntityFrameworkOperationConsoleActionStore<StoreDbContext> Actions(StoreFixture fixture, StoreDbContext db) =>
        new(db, new EntityFrameworkOperationConsoleStore<StoreDbContext>(db), Microsoft.Extensions.Options.Options.Create(fixture.Options));

    private static async Task<OperationRedrive> RedriveAsync(StoreFixture fixture, string operationId, DateTimeOffset now, string? tenant = "org_a")
    {
        await using var db = fixture.CreateDbContext();
        return await Actions(fixture, db).RedriveAsync(tenant, operationId, now, default);
    }

    private static InboxClaimRequest LeasedClaim(string operationId, string token, DateTimeOffset now) =>
        new(Consumer, "op:" + operationId, operationId, token, now, now.AddHours(25), now, now.AddSeconds(30)) { StartsOperationId = operationId };

    private static async Task<InboxOperation> OperationAsync(StoreFixture fixture)
    {
        await using var db = fixture.CreateDbContext();
        return await db.Set<InboxOperation>().AsNoTracking().SingleAsync();
    }

    /// <summary>A leased delivery ran out of retries: its entry released as failed, the operation failed with its error.</summary>
    private static async Task<string> FailedOperationAsync(StoreFixture fixture)
    {
        var operation = StoreFixture.NewOperation();
        await fixture.WithStoreAsync(store => store.AcceptAsync(operation, TimeSpan.FromSeconds(5), default).AsTask());
        await using var db = fixture.CreateDbContext();
        Assert.True((await InboxEntryStore.ClaimAsync(db, LeasedClaim(operation.Id, "first", Now), fixture.Options.RelayDelay, default)).Claimed);
        await InboxEntryStore.RecordFailureAsync(
            db, new InboxFailure(Consumer, "op:" + operation.Id, "first", operation.Id, "payer_rejected", "The payer rejected it.", Now.AddSeconds(1), Now.AddSeconds(1)), default);
        Assert.Equal(OperationStatus.Failed, (await db.Set<InboxOperation>().AsNoTracking().SingleAsync()).Status);
        return operation.Id;
    }

    [SkippableFact]
    public async Task Redriven_operation_is_run_by_the_inbox_s_own_claim_of_its_failed_entry_and_ends_succeeded()
    {
        await using var fixture = await StoreFixture.CreateAsync(Kind);
        var operationId = await FailedOperationAsync(fixture);

        var redrive = await RedriveAsync(fixture, operationId, Now.AddMinutes(1));

        Assert.Equal(RedriveOutcome.Redriven, redrive.Outcome);
        Assert.Equal(operationId, redrive.Publication!.OperationId);
        Assert.Equal("{\"value\":1}", System.Text.Encoding.UTF8.GetString(redrive.Publication.MessageBody.Span));
        var accepted = await OperationAsync(fixture);
        Assert.Equal((OperationStatus.Accepted, null, 0), (accepted.Status, accepted.ErrorCode, accepted.RelayAttempts));
        Assert.Equal(Now.AddMinutes(1) + fixture.Options.RelayDelay, accepted.RelayAt);

        // The next delivery claims the failed entry as a redrive, starts the operation and completes it.
        await using var db = fixture.CreateDbContext();
        var claim = await InboxEntryStore.ClaimAsync(db, LeasedClaim(operationId, "redriven", Now.AddMinutes(2)), fixture.Options.RelayDelay, default);
        Assert.Equal((true, ClaimKind.Redrive, 2), (claim.Claimed, claim.Kind, claim.Attempt));
        Assert.Equal(OperationStatus.Processing, (await OperationAsync(fixture)).Status);
        Assert.True(await InboxEntryStore.CompleteLeasedAsync(db, Consumer, "op:" + operationId, "redriven", "{\"ok\":true}", operationId, Now.AddMinutes(3), default));
        var succeeded = await OperationAsync(fixture);
        Assert.Equal((OperationStatus.Succeeded, "{\"ok\":true}"), (succeeded.Status, succeeded.Result));

        var again = await RedriveAsync(fixture, operationId, Now.AddMinutes(4));
        Assert.Equal((RedriveOutcome.NotFailed, OperationStatus.Succeeded, null), (again.Outcome, again.Status, again.Publication));
        Assert.Equal(succeeded.UpdatedAt, (await OperationAsync(fixture)).UpdatedAt);
    }

    [SkippableFact]
    public async Task Redrive_of_another_tenant_s_operation_is_not_found_and_changes_nothing()
    {
        await using var fixture = await StoreFixture.CreateAsync(Kind);
        var operationId = await FailedOperationAsync(fixture);

        var redrive = await RedriveAsync(fixture, operationId, Now.AddMinutes(1), tenant: "org_b");

        Assert.Equal((RedriveOutcome.NotFound, null), (redrive.Outcome, redrive.Status));
        Assert.Equal(OperationStatus.Failed, (await OperationAsync(fixture)).Status);
        Assert.Equal(RedriveOutcome.Redriven, (await RedriveAsync(fixture, operationId, Now.AddMinutes(1), tenant: null)).Outcome);
    }

    [SkippableFact]
    public async Task Redrive_waits_for_a_consumer_s_uncommitted_success_and_then_refuses_to_overwrite_it()
    {
        Skip.IfNot(Kind == DatabaseKind.PostgreSql, "The wait is observed through pg_stat_activity.");
        await using var fixture = await StoreFixture.CreateAsync(Kind);
        var operationId = await FailedOperationAsync(fixture);

        // A delivery from the error queue claims the failed entry and is completing the operation, not yet committed.
        await using var consumer = fixture.CreateDbContext();
        await using var transaction = await consumer.Database.BeginTransactionAsync();
        Assert.True((await InboxEntryStore.ClaimAsync(consumer, LeasedClaim(operationId, "from-error-queue", Now.AddSeconds(5)), fixture.Options.RelayDelay, default)).Claimed);
        Assert.True(await InboxEntryStore.CompleteLeasedAsync(consumer, Consumer, "op:" + operationId, "from-error-queue", "{\"ok\":true}", operationId, Now.AddSeconds(6), default));

        var redrive = RedriveAsync(fixture, operationId, Now.AddSeconds(7));
        await Eventually.TrueAsync("the redrive to wait on the consumer's row, or to finish", async () =>
            redrive.IsCompleted || await LockWaitsAsync(fixture) > 0);
        Assert.False(redrive.IsCompleted, "the redrive judged the row without waiting for the consumer's transaction");
        await transaction.CommitAsync();

        var outcome = await redrive;
        Assert.Equal((RedriveOutcome.NotFailed, OperationStatus.Succeeded), (outcome.Outcome, outcome.Status));
        var operation = await OperationAsync(fixture);
        Assert.Equal((OperationStatus.Succeeded, "{\"ok\":true}"), (operation.Status, operation.Result));
    }

    [SkippableFact]
    public async Task Group_redrive_skips_an_operation_a_consumer_s_transaction_holds_instead_of_waiting()
    {
        Skip.IfNot(Kind == DatabaseKind.PostgreSql, "Only PostgreSQL and SQL Server lock rows; SQLite locks the whole database.");
        await using var fixture = await StoreFixture.CreateAsync(Kind);
        var operationId = await FailedOperationAsync(fixture);
        await using var consumer = fixture.CreateDbContext();
        await using var transaction = await consumer.Database.BeginTransactionAsync();
        Assert.True((await InboxEntryStore.ClaimAsync(consumer, LeasedClaim(operationId, "from-error-queue", Now.AddSeconds(5)), fixture.Options.RelayDelay, default)).Claimed);

        await using var db = fixture.CreateDbContext();
        var redriven = await Actions(fixture, db).RedriveFailuresAsync("org_a", "payer_rejected", "POST /claims", Now.AddSeconds(6), 500, default);

        Assert.Empty(redriven);
        await transaction.RollbackAsync();
        var afterRollback = await Actions(fixture, db).RedriveFailuresAsync("org_a", "payer_rejected", "POST /claims", Now.AddSeconds(7), 500, default);
        Assert.Equal([operationId], afterRollback.Select(p => p.OperationId));
    }

    [SkippableFact]
    public async Task Release_republishes_the_operation_of_an_expired_consumer_lease_so_the_next_delivery_takes_it_over()
    {
        await using var fixture = await StoreFixture.CreateAsync(Kind);
        var operation = StoreFixture.NewOperation();
        await fixture.WithStoreAsync(store => store.AcceptAsync(operation, TimeSpan.FromSeconds(5), default).AsTask());
        await using var db = fixture.CreateDbContext();
        Assert.True((await InboxEntryStore.ClaimAsync(db, LeasedClaim(operation.Id, "crashed", Now), fixture.Options.RelayDelay, default)).Claimed);

        var early = await Actions(fixture, db).ReleaseExpiredLeasesAsync(null, Now.AddSeconds(31), expiredBefore: Now.AddSeconds(29), 500, default);
        var released = await Actions(fixture, db).ReleaseExpiredLeasesAsync(null, Now.AddSeconds(33), expiredBefore: Now.AddSeconds(31), 500, default);

        Assert.Equal(0, early.Released);
        Assert.Equal([operation.Id], released.Republish.Select(p => p.OperationId));
        Assert.Equal(Now.AddSeconds(33) + fixture.Options.RelayDelay, (await OperationAsync(fixture)).RelayAt);
        var takeover = await InboxEntryStore.ClaimAsync(db, LeasedClaim(operation.Id, "next", Now.AddSeconds(34)), fixture.Options.RelayDelay, default);
        Assert.Equal((true, ClaimKind.Takeover, 2), (takeover.Claimed, takeover.Kind, takeover.Attempt));
    }

    private static async Task<int> LockWaitsAsync(StoreFixture fixture)
    {
        await using var db = fixture.CreateDbContext();
        return await db.Database.SqlQueryRaw<int>(
            "SELECT count(*)::int AS \"Value\" FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'").SingleAsync();
    }
}

public sealed class PostgresConsoleActionStoreTests : ConsoleActionStoreTests
{
    protected override DatabaseKind Kind => DatabaseKind.PostgreSql;
}

public sealed class SqliteConsoleActionStoreTests : ConsoleActionStoreTests
{
    protected override DatabaseKind Kind => DatabaseKind.Sqlite;
}

public sealed class SqlServerConsoleActionStoreTests : ConsoleActionStoreTests
{
    protected override DatabaseKind Kind => DatabaseKind.SqlServer;
}
