using Inbox.Background;
using Inbox.EntityFrameworkCore.Model;
using Inbox.EntityFrameworkCore.Stores;
using Inbox.EntityFrameworkCore.Tests.Support;
using Inbox.Operations;
using Inbox.Publishing;
using Inbox.Testing;
using Microsoft.EntityFrameworkCore;

namespace Inbox.EntityFrameworkCore.Tests.Stores;

/// <summary>The operation store's statements against each provider (SQL Server where one exists).</summary>
public abstract class OperationStoreTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    protected abstract DatabaseKind Kind { get; }

    private Task<StoreFixture> CreateAsync(InboxStoreOptions? options = null) => StoreFixture.CreateAsync(Kind, options);

    [SkippableFact]
    public async Task Accept_inserts_once_then_returns_the_stored_operation()
    {
        await using var fixture = await CreateAsync();
        var first = StoreFixture.NewOperation();
        var second = StoreFixture.NewOperation(fingerprint: 2);

        var created = await fixture.WithStoreAsync(store => store.AcceptAsync(first, Wait, default).AsTask());
        var existing = await fixture.WithStoreAsync(store => store.AcceptAsync(second, Wait, default).AsTask());

        Assert.Equal(AcceptOutcomeKind.Created, created.Kind);
        Assert.Equal(first.Id, created.OperationId);
        Assert.Equal(AcceptOutcomeKind.Existing, existing.Kind);
        Assert.Equal(first.Id, existing.OperationId);
        Assert.Equal(first.Fingerprint, existing.Fingerprint);
        Assert.Equal(first.Response.Body.ToArray(), existing.Response.Body.ToArray());
        Assert.Equal(first.Response.Headers, existing.Response.Headers);
        await using var db = fixture.CreateDbContext();
        var row = await db.Set<InboxOperation>().SingleAsync();
        Assert.Equal(first.RelayAt(fixture.Options), row.RelayAt);
        Assert.Equal(first.ExpiresAt, row.ExpiresAt);
    }

    [SkippableFact]
    public async Task Keys_and_tenants_differing_only_by_case_are_other_operations_and_tenants()
    {
        await using var fixture = await CreateAsync();
        var first = StoreFixture.NewOperation(key: "Order-1", tenant: "Acme");
        var otherKey = StoreFixture.NewOperation(key: "order-1", tenant: "Acme", fingerprint: 2);
        var otherTenant = StoreFixture.NewOperation(key: "Order-1", tenant: "acme", fingerprint: 3);

        var outcomes = new List<AcceptOutcome>();
        foreach (var operation in new[] { first, otherKey, otherTenant })
        {
            outcomes.Add(await fixture.WithStoreAsync(store => store.AcceptAsync(operation, Wait, default).AsTask()));
        }

        Assert.All(outcomes, outcome => Assert.Equal(AcceptOutcomeKind.Created, outcome.Kind));
        Assert.Null(await fixture.WithStoreAsync(store => store.FindAsync("acme", first.Id, StoreFixture.Start, default).AsTask()));
        Assert.NotNull(await fixture.WithStoreAsync(store => store.FindAsync("Acme", first.Id, StoreFixture.Start, default).AsTask()));
        await using var db = fixture.CreateDbContext();
        Assert.Equal(3, await db.Set<InboxOperation>().CountAsync());
    }

    /// <summary>
    /// A session left with SET NOCOUNT ON and SET IMPLICIT_TRANSACTIONS ON (by an application's own raw SQL, or the
    /// server's user options): the expired row is still replaced (its rows-affected count is read) and committed.
    /// </summary>
    [SkippableFact]
    public async Task Replacing_an_expired_operation_counts_and_commits_whatever_the_session_options()
    {
        await using var fixture = await CreateAsync();
        await fixture.WithStoreAsync(store => store.AcceptAsync(StoreFixture.NewOperation(), Wait, default).AsTask());
        var renewed = StoreFixture.NewOperation(at: StoreFixture.Start.AddHours(25), fingerprint: 7);

        await using (var db = fixture.CreateDbContext())
        {
            await db.Database.OpenConnectionAsync();
            if (Kind == DatabaseKind.SqlServer)
            {
                // No parameters: a plain batch, whose SET options stay with the session.
                await db.Database.ExecuteSqlRawAsync("SET NOCOUNT ON; SET IMPLICIT_TRANSACTIONS ON;");
            }

            var store = new EntityFrameworkOperationStore<StoreDbContext>(db, Microsoft.Extensions.Options.Options.Create(fixture.Options));
            Assert.Equal(AcceptOutcomeKind.Created, (await store.AcceptAsync(renewed, Wait, default)).Kind);
        }

        await using var check = fixture.CreateDbContext();
        Assert.Equal(renewed.Id, (await check.Set<InboxOperation>().SingleAsync()).Id);
    }

    [SkippableFact]
    public async Task Accept_without_a_key_always_inserts()
    {
        await using var fixture = await CreateAsync();

        var a = await fixture.WithStoreAsync(store => store.AcceptAsync(StoreFixture.NewOperation(key: null), Wait, default).AsTask());
        var b = await fixture.WithStoreAsync(store => store.AcceptAsync(StoreFixture.NewOperation(key: null), Wait, default).AsTask());

        Assert.Equal(AcceptOutcomeKind.Created, a.Kind);
        Assert.Equal(AcceptOutcomeKind.Created, b.Kind);
        await using var db = fixture.CreateDbContext();
        Assert.Equal(2, await db.Set<InboxOperation>().CountAsync());
    }

    [SkippableFact]
    public async Task Accept_replaces_an_expired_operation_in_place()
    {
        await using var fixture = await CreateAsync();
        var old = StoreFixture.NewOperation();
        await fixture.WithStoreAsync(store => store.AcceptAsync(old, Wait, default).AsTask());
        await using (var before = fixture.CreateDbContext())
        {
            await before.Set<InboxOperation>().ExecuteUpdateAsync(s => s.SetProperty(o => o.RelayAttempts, 5));
        }

        var renewed = StoreFixture.NewOperation(at: StoreFixture.Start.AddHours(25), fingerprint: 7);

        var outcome = await fixture.WithStoreAsync(store => store.AcceptAsync(renewed, Wait, default).AsTask());

        Assert.Equal(AcceptOutcomeKind.Created, outcome.Kind);
        await using var db = fixture.CreateDbContext();
        var row = await db.Set<InboxOperation>().SingleAsync();
        Assert.Equal(renewed.Id, row.Id);
        Assert.Equal(renewed.Fingerprint, row.Fingerprint);
        Assert.Equal(OperationStatus.Accepted, row.Status);
        Assert.Equal(renewed.ExpiresAt, row.ExpiresAt);
        Assert.Equal((renewed.RelayAt(fixture.Options), 0), (row.RelayAt, row.RelayAttempts));
    }

    [SkippableFact]
    public async Task Concurrent_accepts_of_one_key_create_exactly_one_operation()
    {
        await using var fixture = await CreateAsync();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var attempts = Enumerable.Range(0, 20).Select(async _ =>
        {
            await gate.Task;
            return await fixture.WithStoreAsync(store => store.AcceptAsync(StoreFixture.NewOperation(), Wait, default).AsTask());
        }).ToArray();

        gate.SetResult();
        var outcomes = await Task.WhenAll(attempts);

        Assert.Single(outcomes, o => o.Kind == AcceptOutcomeKind.Created);
        Assert.Single(outcomes.Select(o => o.OperationId).Distinct());
    }

    [SkippableFact]
    public async Task Find_needs_the_tenant_and_hides_expired_operations()
    {
        await using var fixture = await CreateAsync();
        var operation = StoreFixture.NewOperation(tenant: "org_a");
        await fixture.WithStoreAsync(store => store.AcceptAsync(operation, Wait, default).AsTask());

        var own = await fixture.WithStoreAsync(store => store.FindAsync("org_a", operation.Id, StoreFixture.Start, default).AsTask());
        var foreign = await fixture.WithStoreAsync(store => store.FindAsync("org_b", operation.Id, StoreFixture.Start, default).AsTask());
        var expired = await fixture.WithStoreAsync(store => store.FindAsync("org_a", operation.Id, operation.ExpiresAt, default).AsTask());

        Assert.NotNull(own);
        Assert.Equal(OperationStatus.Accepted, own.Status);
        Assert.Equal(StoreFixture.Start, own.CreatedAt);
        Assert.Null(foreign);
        Assert.Null(expired);
    }

    [SkippableFact]
    public async Task Relay_claims_due_unfinished_unexpired_operations_and_moves_them_on()
    {
        await using var fixture = await CreateAsync();
        var due = StoreFixture.NewOperation(key: "due");
        var notYet = StoreFixture.NewOperation(key: "later", at: StoreFixture.Start.AddMinutes(10));
        var leased = StoreFixture.NewOperation(key: "leased");
        var abandoned = StoreFixture.NewOperation(key: "abandoned");
        var done = StoreFixture.NewOperation(key: "done");
        var expiring = StoreFixture.NewOperation(key: "expiring", retention: TimeSpan.FromMinutes(1));
        foreach (var operation in new[] { due, notYet, leased, abandoned, done, expiring })
        {
            await fixture.WithStoreAsync(store => store.AcceptAsync(operation, Wait, default).AsTask());
        }

        await using (var db = fixture.CreateDbContext())
        {
            await db.Set<InboxOperation>().Where(o => o.Id == leased.Id).ExecuteUpdateAsync(s => s
                .SetProperty(o => o.Status, OperationStatus.Processing).SetProperty(o => o.RelayAt, StoreFixture.Start.AddHours(1)));
            await db.Set<InboxOperation>().Where(o => o.Id == abandoned.Id).ExecuteUpdateAsync(s => s.SetProperty(o => o.Status, OperationStatus.Processing));
            await db.Set<InboxOperation>().Where(o => o.Id == done.Id).ExecuteUpdateAsync(s => s.SetProperty(o => o.Status, OperationStatus.Succeeded));
        }

        var now = StoreFixture.Start.AddMinutes(2);
        var claimed = await fixture.WithStoreAsync(store => store.ClaimDueAsync(now, new RelayBackoff(TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1)), 10, default).AsTask());
        var again = await fixture.WithStoreAsync(store => store.ClaimDueAsync(now, new RelayBackoff(TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1)), 10, default).AsTask());

        Assert.Equal(new[] { due.Id, abandoned.Id }.Order(), claimed.Select(p => p.OperationId).Order());
        var publication = claimed.Single(p => p.OperationId == due.Id);
        Assert.Equal("due", publication.IdempotencyKey);
        Assert.Equal(due.Scope, publication.Scope);
        Assert.Equal(due.ExpiresAt, publication.ExpiresAt);
        Assert.Equal(due.MessageType, publication.MessageType);
        Assert.Equal(due.MessageBody.ToArray(), publication.MessageBody.ToArray());
        Assert.All(claimed, p => Assert.Equal(1, p.RelayAttempts));
        Assert.Empty(again);
    }

    [SkippableFact]
    public async Task Concurrent_relays_never_claim_the_same_operation()
    {
        await using var fixture = await CreateAsync();
        for (var i = 0; i < 40; i++)
        {
            await fixture.WithStoreAsync(store => store.AcceptAsync(StoreFixture.NewOperation(key: "k" + i), Wait, default).AsTask());
        }

        var now = StoreFixture.Start.AddMinutes(5);
        var relays = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            var mine = new List<string>();
            while (true)
            {
                var batch = await fixture.WithStoreAsync(store => store.ClaimDueAsync(now, new RelayBackoff(TimeSpan.FromHours(1), TimeSpan.FromHours(1)), 3, default).AsTask());
                if (batch.Count == 0)
                {
                    return mine;
                }

                mine.AddRange(batch.Select(p => p.OperationId));
            }
        })).ToArray();
        var claims = (await Task.WhenAll(relays)).SelectMany(c => c).ToList();

        Assert.Equal(40, claims.Count);
        Assert.Equal(40, claims.Distinct().Count());
    }

    [SkippableFact]
    public async Task Sweeper_deletes_expired_operations_in_every_state_in_batches()
    {
        await using var fixture = await CreateAsync();
        var states = Enum.GetValues<OperationStatus>();
        for (var i = 0; i < 12; i++)
        {
            var operation = StoreFixture.NewOperation(key: "old" + i, retention: TimeSpan.FromHours(1));
            await fixture.WithStoreAsync(store => store.AcceptAsync(operation, Wait, default).AsTask());
            await using var db = fixture.CreateDbContext();
            var status = states[i % states.Length];
            await db.Set<InboxOperation>().Where(o => o.Id == operation.Id).ExecuteUpdateAsync(s => s.SetProperty(o => o.Status, status));
        }

        var live = StoreFixture.NewOperation(key: "live");
        await fixture.WithStoreAsync(store => store.AcceptAsync(live, Wait, default).AsTask());

        var now = StoreFixture.Start.AddHours(2);
        var first = await fixture.WithStoreAsync(store => store.DeleteExpiredOperationsAsync(now, 5, default).AsTask());
        var second = await fixture.WithStoreAsync(store => store.DeleteExpiredOperationsAsync(now, 5, default).AsTask());
        var third = await fixture.WithStoreAsync(store => store.DeleteExpiredOperationsAsync(now, 5, default).AsTask());
        var fourth = await fixture.WithStoreAsync(store => store.DeleteExpiredOperationsAsync(now, 5, default).AsTask());

        Assert.Equal([5, 5, 2, 0], new[] { first, second, third, fourth });
        await using var check = fixture.CreateDbContext();
        Assert.Equal(live.Id, (await check.Set<InboxOperation>().SingleAsync()).Id);
    }

    [SkippableFact]
    public async Task Concurrent_sweepers_delete_each_expired_row_once()
    {
        await using var fixture = await CreateAsync();
        for (var i = 0; i < 60; i++)
        {
            await fixture.WithStoreAsync(store => store.AcceptAsync(StoreFixture.NewOperation(key: "old" + i, retention: TimeSpan.FromHours(1)), Wait, default).AsTask());
        }

        var now = StoreFixture.Start.AddHours(2);
        Assert.Equal(60, await fixture.SweepConcurrentlyAsync(3, store => store.DeleteExpiredOperationsAsync(now, 7, default)));
        await using var db = fixture.CreateDbContext();
        Assert.Equal(0, await db.Set<InboxOperation>().CountAsync());
    }
}

public sealed class PostgresOperationStoreTests : OperationStoreTests
{
    protected override DatabaseKind Kind => DatabaseKind.PostgreSql;
}

public sealed class SqliteOperationStoreTests : OperationStoreTests
{
    protected override DatabaseKind Kind => DatabaseKind.Sqlite;
}

public sealed class SqlServerOperationStoreTests : OperationStoreTests
{
    protected override DatabaseKind Kind => DatabaseKind.SqlServer;
}

internal static class NewOperationExtensions
{
    public static DateTimeOffset RelayAt(this NewOperation operation, InboxStoreOptions options) => operation.CreatedAt + options.RelayDelay;
}
