using Inbox.Background;
using Inbox.Claims;
using Inbox.EntityFrameworkCore.Inbox;
using Inbox.EntityFrameworkCore.Model;
using Inbox.EntityFrameworkCore.Tests.Support;
using Inbox.Operations;
using Inbox.Testing;
using Microsoft.EntityFrameworkCore;

namespace Inbox.EntityFrameworkCore.Tests.Stores;

/// <summary>The consumer inbox's claim and outcome statements against each provider (SQL Server where one exists).</summary>
public abstract class InboxEntryStoreTests
{
    private const string Consumer = "Tests.ClaimConsumer";
    private static readonly DateTimeOffset Now = StoreFixture.Start;

    protected abstract DatabaseKind Kind { get; }

    private static InboxClaimRequest Request(string key = "op:1", string? token = null, DateTimeOffset? at = null, TimeSpan? lease = null)
    {
        var now = at ?? Now;
        return new InboxClaimRequest(Consumer, key, "op_1", token ?? Guid.NewGuid().ToString("N"), now, now.AddHours(25), now, lease is null ? null : now + lease);
    }

    private static async Task<InboxClaimResult> ClaimAsync(StoreFixture fixture, InboxClaimRequest request)
    {
        await using var db = fixture.CreateDbContext();
        return await InboxEntryStore.ClaimAsync(db, request, InboxStoreDefaults.RelayDelay, default);
    }

    [SkippableFact]
    public async Task Transactional_claim_holds_the_key_until_commit_and_a_later_claim_finds_it_succeeded()
    {
        await using var fixture = await StoreFixture.CreateAsync(Kind);
        await using (var db = fixture.CreateDbContext())
        await using (var transaction = await db.Database.BeginTransactionAsync())
        {
            var claim = await InboxEntryStore.ClaimAsync(db, Request(), InboxStoreDefaults.RelayDelay, default);
            Assert.True(claim.Claimed);
            Assert.Equal(OperationStatus.Succeeded, claim.Status);
            Assert.Equal(1, claim.Attempt);
            await InboxEntryStore.CompleteTransactionalAsync(db, Consumer, "op:1", "{\"ok\":true}", null, Now, default);
            await transaction.CommitAsync();
        }

        var duplicate = await ClaimAsync(fixture, Request());

        Assert.False(duplicate.Claimed);
        Assert.Equal(OperationStatus.Succeeded, duplicate.Status);
        await using var check = fixture.CreateDbContext();
        var entry = await check.Set<InboxEntry>().SingleAsync();
        Assert.Equal("{\"ok\":true}", entry.Result);
        Assert.Equal(Now.AddHours(25), entry.ExpiresAt);
    }

    [SkippableFact]
    public async Task Message_keys_and_consumers_differing_only_by_case_are_other_entries()
    {
        await using var fixture = await StoreFixture.CreateAsync(Kind);
        var first = Request(key: "msg:Order-1", lease: TimeSpan.FromMinutes(1));

        var otherKey = await ClaimAsync(fixture, Request(key: "msg:order-1", lease: TimeSpan.FromMinutes(1)));
        Assert.True((await ClaimAsync(fixture, first)).Claimed);
        var otherConsumer = await ClaimAsync(fixture, first with { Consumer = Consumer.ToUpperInvariant(), ClaimToken = Guid.NewGuid().ToString("N") });

        Assert.True(otherKey.Claimed);
        Assert.True(otherConsumer.Claimed);
        await using var db = fixture.CreateDbContext();
        Assert.Equal(3, await db.Set<InboxEntry>().CountAsync());
    }

    /// <summary>
    /// A session left with SET NOCOUNT ON and SET IMPLICIT_TRANSACTIONS ON: the leased claim commits on its own, and
    /// the completion still sees that it held the lease (it reads the rows affected).
    /// </summary>
    [SkippableFact]
    public async Task Leased_claim_and_completion_count_and_commit_whatever_the_session_options()
    {
        await using var fixture = await StoreFixture.CreateAsync(Kind);
        var request = Request(lease: TimeSpan.FromMinutes(1));
        await using var db = fixture.CreateDbContext();
        await db.Database.OpenConnectionAsync();
        if (Kind == DatabaseKind.SqlServer)
        {
            // No parameters: a plain batch, whose SET options stay with the session.
            await db.Database.ExecuteSqlRawAsync("SET NOCOUNT ON; SET IMPLICIT_TRANSACTIONS ON;");
        }

        Assert.True((await InboxEntryStore.ClaimAsync(db, request, InboxStoreDefaults.RelayDelay, default)).Claimed);
        await using (var other = fixture.CreateDbContext())
        {
            Assert.Equal(OperationStatus.Processing, (await other.Set<InboxEntry>().AsNoTracking().SingleAsync()).Status);
        }

        Assert.True(await InboxEntryStore.CompleteLeasedAsync(db, Consumer, request.MessageKey, request.ClaimToken, "{}", null, Now, default));
        await using var check = fixture.CreateDbContext();
        Assert.Equal(OperationStatus.Succeeded, (await check.Set<InboxEntry>().AsNoTracking().SingleAsync()).Status);
    }

    [SkippableFact]
    public async Task Rolled_back_claim_leaves_nothing()
    {
        await using var fixture = await StoreFixture.CreateAsync(Kind);
        await using (var db = fixture.CreateDbContext())
        await using (var transaction = await db.Database.BeginTransactionAsync())
        {
            Assert.True((await InboxEntryStore.ClaimAsync(db, Request(), InboxStoreDefaults.RelayDelay, default)).Claimed);
            await transaction.RollbackAsync();
        }

        Assert.True((await ClaimAsync(fixture, Request())).Claimed);
    }

    [SkippableFact]
    public async Task Concurrent_transactional_claims_of_one_key_let_exactly_one_run()
    {
        await using var fixture = await StoreFixture.CreateAsync(Kind);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var attempts = Enumerable.Range(0, 8).Select(async _ =>
        {
            await gate.Task;
            await using var db = fixture.CreateDbContext();
            await using var transaction = await db.Database.BeginTransactionAsync();
            var claim = await InboxEntryStore.ClaimAsync(db, Request(), InboxStoreDefaults.RelayDelay, default);
            if (claim.Claimed)
            {
                await Task.Delay(50);
                await transaction.CommitAsync();
            }

            return claim.Claimed;
        }).ToArray();

        gate.SetResult();
        var claimed = await Task.WhenAll(attempts);

        Assert.Single(claimed, c => c);
    }

    [SkippableFact]
    public async Task Live_lease_is_not_claimable_an_expired_one_is_taken_over_and_the_old_holder_cannot_complete()
    {
        await using var fixture = await StoreFixture.CreateAsync(Kind);
        var first = Request(token: "first-holder", lease: TimeSpan.FromSeconds(30));
        Assert.True((await ClaimAsync(fixture, first)).Claimed);

        var during = await ClaimAsync(fixture, Request(token: "second", at: Now.AddSeconds(10), lease: TimeSpan.FromSeconds(30)));
        var after = await ClaimAsync(fixture, Request(token: "third", at: Now.AddSeconds(31), lease: TimeSpan.FromSeconds(30)));

        Assert.False(during.Claimed);
        Assert.Equal(OperationStatus.Processing, during.Status);
        Assert.Equal(Now.AddSeconds(30), during.LeaseExpiresAt);
        Assert.True(after.Claimed);
        Assert.Equal(ClaimKind.Takeover, after.Kind);
        Assert.Equal(2, after.Attempt);

        await using var db = fixture.CreateDbContext();
        Assert.False(await InboxEntryStore.CompleteLeasedAsync(db, Consumer, "op:1", "first-holder", "{}", null, Now.AddSeconds(32), default));
        Assert.True(await InboxEntryStore.CompleteLeasedAsync(db, Consumer, "op:1", "third", "{\"n\":3}", null, Now.AddSeconds(33), default));
        var entry = await db.Set<InboxEntry>().AsNoTracking().SingleAsync();
        Assert.Equal(OperationStatus.Succeeded, entry.Status);
        Assert.Equal("{\"n\":3}", entry.Result);
        Assert.Null(entry.LeaseExpiresAt);
    }

    [SkippableFact]
    public async Task Failed_entry_is_claimable_again_as_a_redrive()
    {
        await using var fixture = await StoreFixture.CreateAsync(Kind);
        Assert.True((await ClaimAsync(fixture, Request(token: "a", lease: TimeSpan.FromSeconds(30)))).Claimed);
        await using (var db = fixture.CreateDbContext())
        {
            await InboxEntryStore.RecordFailureAsync(db, new InboxFailure(Consumer, "op:1", "a", null, "processing_failed", "Retries are exhausted.", Now.AddSeconds(1), Now.AddSeconds(1)), default);
        }

        var redrive = await ClaimAsync(fixture, Request(token: "b", at: Now.AddSeconds(2), lease: TimeSpan.FromSeconds(30)));

        Assert.True(redrive.Claimed);
        Assert.Equal(ClaimKind.Redrive, redrive.Kind);
        await using var check = fixture.CreateDbContext();
        var entry = await check.Set<InboxEntry>().AsNoTracking().SingleAsync();
        Assert.Null(entry.ErrorCode);
        Assert.Equal(OperationStatus.Processing, entry.Status);
    }

    [SkippableFact]
    public async Task Leased_claim_starts_its_operation_only_when_it_claims()
    {
        await using var fixture = await StoreFixture.CreateAsync(Kind);
        var operation = StoreFixture.NewOperation();
        await fixture.WithStoreAsync(store => store.AcceptAsync(operation, TimeSpan.FromSeconds(5), default).AsTask());
        var lease = TimeSpan.FromSeconds(30);
        var holder = await ClaimAsync(fixture, Request(token: "a", lease: lease));
        var during = await ClaimAsync(fixture, Request(token: "b", at: Now.AddSeconds(10), lease: lease) with { StartsOperationId = operation.Id });
        var afterDuring = await ReadOperationAsync(fixture);
        var takeover = await ClaimAsync(fixture, Request(token: "c", at: Now.AddSeconds(31), lease: lease) with { StartsOperationId = operation.Id });
        var afterTakeover = await ReadOperationAsync(fixture);

        Assert.Equal((true, false, true), (holder.Claimed, during.Claimed, takeover.Claimed));
        Assert.Equal(OperationStatus.Accepted, afterDuring.Status);
        // The relay republishes it only if the consumer goes away: its relay delay after the lease.
        var relayAt = Now.AddSeconds(31) + lease + InboxStoreDefaults.RelayDelay;
        Assert.Equal((OperationStatus.Processing, relayAt, Now.AddSeconds(31)), (afterTakeover.Status, afterTakeover.RelayAt, afterTakeover.UpdatedAt));
    }

    private static async Task<InboxOperation> ReadOperationAsync(StoreFixture fixture)
    {
        await using var db = fixture.CreateDbContext();
        return await db.Set<InboxOperation>().AsNoTracking().SingleAsync();
    }

    [SkippableFact]
    public async Task Leased_claim_whose_operation_cannot_start_leaves_no_claim_behind()
    {
        await using var fixture = await StoreFixture.CreateAsync(Kind);
        await using (var db = fixture.CreateDbContext())
        {
            await db.Database.ExecuteSqlRawAsync("DROP TABLE inbox_operations");
        }

        var lease = TimeSpan.FromSeconds(30);
        await Assert.ThrowsAnyAsync<Exception>(() =>
            ClaimAsync(fixture, Request(token: "a", lease: lease) with { StartsOperationId = "op_1" }));

        // The next attempt, at the same instant, claims at once instead of waiting out the first attempt's lease.
        Assert.True((await ClaimAsync(fixture, Request(token: "b", lease: lease))).Claimed);
    }

    [SkippableFact]
    public async Task One_batch_claims_are_taken_only_where_a_batch_is_atomic()
    {
        await using var fixture = await StoreFixture.CreateAsync(Kind);
        await using var db = fixture.CreateDbContext();
        db.Add(new AuditRow());

        Assert.Equal(Kind == DatabaseKind.PostgreSql, FreshClaimBatch.Fits(db, completesOperation: true));
    }

    [SkippableFact]
    public async Task One_batch_claim_saves_the_inserts_the_entry_and_the_outcome_together_or_nothing()
    {
        Skip.IfNot(Kind == DatabaseKind.PostgreSql, "Only PostgreSQL runs a batch as one implicit transaction.");
        await using var fixture = await StoreFixture.CreateAsync(Kind);
        var operation = await AcceptedOperationAsync(fixture);

        await using (var db = fixture.CreateDbContext())
        {
            db.Add(new AuditRow { Text = "first" });
            await FreshClaimBatch.SaveAsync(db, Request(token: "first"), "{\"n\":1}", operation, default);
        }

        await using (var db = fixture.CreateDbContext())
        {
            // EF Core writes audit_rows before inbox_entries, so a batch that were not atomic would keep this row.
            db.Add(new AuditRow { Text = "duplicate" });
            await Assert.ThrowsAsync<DbUpdateException>(() => FreshClaimBatch.SaveAsync(db, Request(token: "second"), "{\"n\":2}", operation, default));
            Assert.Empty(db.ChangeTracker.Entries<InboxEntry>());
            Assert.Empty(db.ChangeTracker.Entries<InboxOperation>());
        }

        await using var check = fixture.CreateDbContext();
        Assert.Equal(["first"], await check.Set<AuditRow>().Select(r => r.Text).ToListAsync());
        var entry = await check.Set<InboxEntry>().AsNoTracking().SingleAsync();
        Assert.Equal(("first", OperationStatus.Succeeded, "{\"n\":1}"), (entry.ClaimToken, entry.Status, entry.Result));
        var completed = await check.Set<InboxOperation>().AsNoTracking().SingleAsync();
        Assert.Equal((OperationStatus.Succeeded, "{\"n\":1}", Now), (completed.Status, completed.Result, completed.UpdatedAt));
    }

    private static async Task<string> AcceptedOperationAsync(StoreFixture fixture)
    {
        var operation = StoreFixture.NewOperation();
        await fixture.WithStoreAsync(store => store.AcceptAsync(operation, TimeSpan.FromSeconds(5), default).AsTask());
        return operation.Id;
    }

    [SkippableFact]
    public async Task Failure_of_a_delivery_whose_lease_was_taken_over_ends_neither_the_new_lease_nor_the_operation()
    {
        await using var fixture = await StoreFixture.CreateAsync(Kind);
        var operationId = await AcceptedOperationAsync(fixture);
        Assert.True((await ClaimAsync(fixture, Request(token: "first", lease: TimeSpan.FromSeconds(30)) with { StartsOperationId = operationId })).Claimed);
        Assert.True((await ClaimAsync(fixture, Request(token: "second", at: Now.AddSeconds(31), lease: TimeSpan.FromSeconds(30)))).Claimed);

        await using var db = fixture.CreateDbContext();
        await InboxEntryStore.RecordFailureAsync(db, new InboxFailure(Consumer, "op:1", "first", operationId, "processing_failed", "Retries are exhausted.", Now.AddSeconds(32), Now.AddSeconds(32)), default);
        await InboxEntryStore.RecordFailureAsync(db, new InboxFailure(Consumer, "op:1", null, operationId, "processing_failed", "Retries are exhausted.", Now.AddSeconds(32), Now.AddSeconds(32)), default);

        var entry = await db.Set<InboxEntry>().AsNoTracking().SingleAsync();
        Assert.Equal(("second", OperationStatus.Processing, Now.AddSeconds(61)), (entry.ClaimToken, entry.Status, entry.LeaseExpiresAt));
        Assert.Null(entry.ErrorCode);
        Assert.Equal(OperationStatus.Processing, (await db.Set<InboxOperation>().AsNoTracking().SingleAsync()).Status);

        await InboxEntryStore.RecordFailureAsync(db, new InboxFailure(Consumer, "op:1", "second", operationId, "processing_failed", "Retries are exhausted.", Now.AddSeconds(33), Now.AddSeconds(33)), default);
        var failed = await db.Set<InboxEntry>().AsNoTracking().SingleAsync();
        Assert.Equal((OperationStatus.Failed, "processing_failed"), (failed.Status, failed.ErrorCode));
        Assert.Equal(OperationStatus.Failed, (await db.Set<InboxOperation>().AsNoTracking().SingleAsync()).Status);
    }

    [SkippableFact]
    public async Task Failure_record_of_a_transactional_delivery_waits_for_a_copy_whose_claim_is_not_yet_committed()
    {
        Skip.IfNot(Kind == DatabaseKind.PostgreSql, "The wait is observed through pg_stat_activity.");
        await using var fixture = await StoreFixture.CreateAsync(Kind);
        var operationId = await AcceptedOperationAsync(fixture);
        await using var copy = fixture.CreateDbContext();
        await using var transaction = await copy.Database.BeginTransactionAsync();
        Assert.True((await InboxEntryStore.ClaimAsync(copy, Request(token: "copy") with { OperationId = operationId }, InboxStoreDefaults.RelayDelay, default)).Claimed);

        // Another delivery of the same message ran out of retries (its own claims rolled back) while the copy still runs.
        await using var failing = fixture.CreateDbContext();
        var record = InboxEntryStore.RecordFailureAsync(failing, new InboxFailure(Consumer, "op:1", null, operationId, "processing_failed", "Retries are exhausted.", Now.AddSeconds(1), Now.AddSeconds(1)), default);
        await Eventually.TrueAsync("the failure record to wait on the copy's claim, or to finish", async () =>
            record.IsCompleted || await LockWaitsAsync(fixture) > 0);
        Assert.False(record.IsCompleted, "the failure record did not wait for the copy's uncommitted claim");

        await InboxEntryStore.CompleteTransactionalAsync(copy, Consumer, "op:1", "{\"n\":1}", operationId, Now.AddSeconds(2), default);
        await transaction.CommitAsync();
        await record;

        await using var check = fixture.CreateDbContext();
        var operation = await check.Set<InboxOperation>().AsNoTracking().SingleAsync();
        Assert.Equal((OperationStatus.Succeeded, "{\"n\":1}"), (operation.Status, operation.Result));
        var entry = await check.Set<InboxEntry>().AsNoTracking().SingleAsync();
        Assert.Equal(("copy", OperationStatus.Succeeded), (entry.ClaimToken, entry.Status));
    }

    [SkippableFact]
    public async Task Failure_record_of_a_transactional_delivery_fails_the_operation_and_keeps_only_an_earlier_failed_entry()
    {
        await using var fixture = await StoreFixture.CreateAsync(Kind);
        var operationId = await AcceptedOperationAsync(fixture);

        await using (var db = fixture.CreateDbContext())
        {
            await InboxEntryStore.RecordFailureAsync(db, new InboxFailure(Consumer, "op:1", null, operationId, "processing_failed", "Retries are exhausted.", Now, Now), default);
            Assert.Empty(await db.Set<InboxEntry>().AsNoTracking().ToListAsync());
            var failed = await db.Set<InboxOperation>().AsNoTracking().SingleAsync();
            Assert.Equal((OperationStatus.Failed, "processing_failed"), (failed.Status, failed.ErrorCode));
        }

        // A redrive that failed again: the entry an earlier leased failure left keeps the newest error.
        Assert.True((await ClaimAsync(fixture, Request(key: "op:2", token: "a", lease: TimeSpan.FromSeconds(30)))).Claimed);
        await using (var db = fixture.CreateDbContext())
        {
            await InboxEntryStore.RecordFailureAsync(db, new InboxFailure(Consumer, "op:2", "a", null, "first", "First failure.", Now.AddSeconds(1), Now.AddSeconds(1)), default);
            await InboxEntryStore.RecordFailureAsync(db, new InboxFailure(Consumer, "op:2", null, operationId, "second", "Second failure.", Now.AddSeconds(2), Now.AddSeconds(2)), default);
            var entry = await db.Set<InboxEntry>().AsNoTracking().SingleAsync();
            Assert.Equal((OperationStatus.Failed, "second", 1), (entry.Status, entry.ErrorCode, entry.Attempt));
        }
    }

    private static async Task<int> LockWaitsAsync(StoreFixture fixture)
    {
        await using var db = fixture.CreateDbContext();
        return await db.Database.SqlQueryRaw<int>(
            "SELECT count(*)::int AS \"Value\" FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'").SingleAsync();
    }

    [SkippableFact]
    public async Task Repair_completes_an_unfinished_operation_from_the_succeeded_entry_and_never_a_failed_one()
    {
        await using var fixture = await StoreFixture.CreateAsync(Kind);
        var operationId = await AcceptedOperationAsync(fixture);
        await using var db = fixture.CreateDbContext();
        await using (var transaction = await db.Database.BeginTransactionAsync())
        {
            Assert.True((await InboxEntryStore.ClaimAsync(db, Request(token: "a") with { OperationId = operationId }, InboxStoreDefaults.RelayDelay, default)).Claimed);
            await InboxEntryStore.CompleteTransactionalAsync(db, Consumer, "op:1", "{\"n\":1}", null, Now, default);
            await transaction.CommitAsync();
        }

        var unfinished = await InboxEntryStore.ReadClaimAsync(db, Consumer, "op:1", "b", default);
        Assert.Equal((false, OperationStatus.Succeeded, true), (unfinished!.Value.Claimed, unfinished.Value.Status, unfinished.Value.OperationUnfinished));
        Assert.Equal(1, await InboxEntryStore.SucceedOperationFromEntryAsync(db, Consumer, "op:1", operationId, Now.AddSeconds(1), default));
        var repaired = await db.Set<InboxOperation>().AsNoTracking().SingleAsync();
        Assert.Equal((OperationStatus.Succeeded, "{\"n\":1}"), (repaired.Status, repaired.Result));
        Assert.False((await InboxEntryStore.ReadClaimAsync(db, Consumer, "op:1", "b", default))!.Value.OperationUnfinished);

        await db.Set<InboxOperation>().ExecuteUpdateAsync(u => u.SetProperty(o => o.Status, OperationStatus.Failed));
        Assert.False((await InboxEntryStore.ReadClaimAsync(db, Consumer, "op:1", "b", default))!.Value.OperationUnfinished);
        Assert.Equal(0, await InboxEntryStore.SucceedOperationFromEntryAsync(db, Consumer, "op:1", operationId, Now.AddSeconds(2), default));
        Assert.Equal(OperationStatus.Failed, (await db.Set<InboxOperation>().AsNoTracking().SingleAsync()).Status);
    }

    [SkippableFact]
    public async Task Operation_outcomes_follow_the_inbox_and_a_succeeded_operation_never_changes()
    {
        await using var fixture = await StoreFixture.CreateAsync(Kind);
        var operation = StoreFixture.NewOperation();
        await fixture.WithStoreAsync(store => store.AcceptAsync(operation, TimeSpan.FromSeconds(5), default).AsTask());

        await using var db = fixture.CreateDbContext();
        Assert.Equal(1, await InboxEntryStore.StartOperationAsync(db, operation.Id, Now.AddSeconds(1), Now.AddMinutes(5), default));
        await InboxEntryStore.RecordFailureAsync(db, new InboxFailure(Consumer, "op:x", null, operation.Id, "payer_rejected", "Rejected.", Now.AddSeconds(2), Now.AddSeconds(2)), default);
        var failed = await db.Set<InboxOperation>().AsNoTracking().SingleAsync();
        Assert.Equal(OperationStatus.Failed, failed.Status);
        Assert.Equal("payer_rejected", failed.ErrorCode);

        await InboxEntryStore.CompleteTransactionalAsync(db, Consumer, "op:x", "{\"claim_id\":\"c1\"}", operation.Id, Now.AddSeconds(3), default);
        await InboxEntryStore.CompleteTransactionalAsync(db, Consumer, "op:x", "{\"claim_id\":\"c2\"}", operation.Id, Now.AddSeconds(4), default);
        await InboxEntryStore.RecordFailureAsync(db, new InboxFailure(Consumer, "op:x", null, operation.Id, "late", "Late failure.", Now.AddSeconds(5), Now.AddSeconds(5)), default);
        Assert.Equal(0, await InboxEntryStore.StartOperationAsync(db, operation.Id, Now.AddSeconds(6), Now.AddMinutes(5), default));

        var done = await db.Set<InboxOperation>().AsNoTracking().SingleAsync();
        Assert.Equal(OperationStatus.Succeeded, done.Status);
        Assert.Equal("{\"claim_id\":\"c1\"}", done.Result);
        Assert.Null(done.ErrorCode);
        Assert.Equal(Now.AddSeconds(3), done.UpdatedAt);
    }

    [SkippableFact]
    public async Task Sweeper_deletes_expired_entries_in_every_state_in_batches()
    {
        await using var fixture = await StoreFixture.CreateAsync(Kind);
        for (var i = 0; i < 9; i++)
        {
            await using var db = fixture.CreateDbContext();
            var lease = i % 3 == 0 ? TimeSpan.FromSeconds(30) : (TimeSpan?)null;
            await using var transaction = await db.Database.BeginTransactionAsync();
            await InboxEntryStore.ClaimAsync(db, Request(key: "op:" + i, lease: lease), InboxStoreDefaults.RelayDelay, default);
            if (i % 3 == 1)
            {
                await InboxEntryStore.RecordFailureAsync(db, new InboxFailure(Consumer, "op:" + i, null, null, "x", "y", Now, Now), default);
            }

            await transaction.CommitAsync();
        }

        await using (var db = fixture.CreateDbContext())
        {
            await InboxEntryStore.ClaimAsync(db, Request(key: "op:live", at: Now.AddHours(30)), InboxStoreDefaults.RelayDelay, default);
        }

        var sweep = Now.AddHours(26);
        var counts = new List<int>();
        int deleted;
        do
        {
            deleted = await fixture.WithStoreAsync(store => store.DeleteExpiredInboxEntriesAsync(sweep, 4, default).AsTask());
            counts.Add(deleted);
        }
        while (deleted > 0);

        Assert.Equal([4, 4, 1, 0], counts);
        await using var check = fixture.CreateDbContext();
        Assert.Equal("op:live", (await check.Set<InboxEntry>().SingleAsync()).MessageKey);
    }

    [SkippableFact]
    public async Task Concurrent_sweepers_delete_each_expired_entry_once()
    {
        await using var fixture = await StoreFixture.CreateAsync(Kind);
        for (var i = 0; i < 60; i++)
        {
            await using var db = fixture.CreateDbContext();
            await InboxEntryStore.ClaimAsync(db, Request(key: "op:" + i), InboxStoreDefaults.RelayDelay, default);
        }

        var sweep = Now.AddHours(26);
        Assert.Equal(60, await fixture.SweepConcurrentlyAsync(3, store => store.DeleteExpiredInboxEntriesAsync(sweep, 7, default)));
        await using var check = fixture.CreateDbContext();
        Assert.Equal(0, await check.Set<InboxEntry>().CountAsync());
    }
}

public sealed class PostgresInboxEntryStoreTests : InboxEntryStoreTests
{
    protected override DatabaseKind Kind => DatabaseKind.PostgreSql;
}

public sealed class SqliteInboxEntryStoreTests : InboxEntryStoreTests
{
    protected override DatabaseKind Kind => DatabaseKind.Sqlite;
}

public sealed class SqlServerInboxEntryStoreTests : InboxEntryStoreTests
{
    protected override DatabaseKind Kind => DatabaseKind.SqlServer;
}
