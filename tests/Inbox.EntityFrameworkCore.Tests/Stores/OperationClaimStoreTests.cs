using Inbox.Claims;
using Inbox.EntityFrameworkCore.Model;
using Inbox.EntityFrameworkCore.Stores;
using Inbox.EntityFrameworkCore.Tests.Support;
using Inbox.Operations;
using Inbox.Publishing;
using Inbox.Testing;
using Microsoft.EntityFrameworkCore;

namespace Inbox.EntityFrameworkCore.Tests.Stores;

/// <summary>The synchronous requests' leased claims on their operations, against each provider (SQL Server where one exists).</summary>
public abstract class OperationClaimStoreTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);
    private static readonly StoredResponse Created = new(201, [new("Location", "/patients/pat_1"), new("Content-Type", "application/json")], "{\"id\":\"pat_1\"}"u8.ToArray());

    protected abstract DatabaseKind Kind { get; }

    private static OperationClaimRequest Request(DateTimeOffset now, byte fingerprint = 1, string key = "key-1") => new()
    {
        Id = RandomIds.NewOperationId(),
        Scope = new OperationScope("org_a", "POST /patients"),
        IdempotencyKey = key,
        Fingerprint = Enumerable.Repeat(fingerprint, 32).ToArray(),
        RequestId = RandomIds.NewRequestId(),
        ClaimToken = Guid.NewGuid().ToString("N"),
        Now = now,
        ExpiresAt = now + TimeSpan.FromHours(24),
        TakeoverBefore = now - TimeSpan.FromSeconds(2),
        LeaseExpiresAt = now + Lease,
    };

    private static async Task<T> WithClaimsAsync<T>(StoreFixture fixture, Func<EntityFrameworkOperationClaimStore<StoreDbContext>, Task<T>> action)
    {
        await using var db = fixture.CreateDbContext();
        return await action(new EntityFrameworkOperationClaimStore<StoreDbContext>(db));
    }

    [SkippableFact]
    public async Task Live_lease_holds_the_key_then_the_same_request_takes_it_over_and_only_the_new_token_completes_it()
    {
        await using var fixture = await StoreFixture.CreateAsync(Kind);
        var first = Request(StoreFixture.Start);

        var claimed = await WithClaimsAsync(fixture, s => s.ClaimAsync(first, Wait, default).AsTask());
        var during = await WithClaimsAsync(fixture, s => s.ClaimAsync(Request(StoreFixture.Start.AddSeconds(10)), Wait, default).AsTask());
        var later = Request(StoreFixture.Start + Lease + TimeSpan.FromSeconds(3));
        var takeover = await WithClaimsAsync(fixture, s => s.ClaimAsync(later, Wait, default).AsTask());
        var lateCompletion = await WithClaimsAsync(fixture, s => s.CompleteAsync(first.Id, first.ClaimToken, Created, later.Now, default).AsTask());
        var lateRelease = await WithClaimsAsync(fixture, s => s.ReleaseAsync(first.Id, first.ClaimToken, default).AsTask());
        var completion = await WithClaimsAsync(fixture, s => s.CompleteAsync(first.Id, later.ClaimToken, Created, later.Now, default).AsTask());
        var replay = await WithClaimsAsync(fixture, s => s.ClaimAsync(Request(later.Now.AddSeconds(1)), Wait, default).AsTask());

        Assert.Equal((OperationClaimOutcome.Claimed, ClaimKind.Fresh, first.Id), (claimed.Outcome, claimed.Kind, claimed.OperationId));
        Assert.Equal((OperationClaimOutcome.Held, first.Id, first.LeaseExpiresAt), (during.Outcome, during.OperationId, during.LeaseExpiresAt));
        Assert.Equal((OperationClaimOutcome.Claimed, ClaimKind.Takeover, first.Id), (takeover.Outcome, takeover.Kind, takeover.OperationId));
        Assert.False(lateCompletion);
        Assert.False(lateRelease);
        Assert.True(completion);
        Assert.Equal(OperationClaimOutcome.Completed, replay.Outcome);
        Assert.Equal(first.Fingerprint, replay.Fingerprint);
        Assert.Equal(201, replay.Response!.StatusCode);
        Assert.Equal(Created.Headers, replay.Response.Headers);
        Assert.Equal(Created.Body.ToArray(), replay.Response.Body.ToArray());

        await using var db = fixture.CreateDbContext();
        var row = await db.Set<InboxOperation>().SingleAsync();
        Assert.Equal((OperationStatus.Succeeded, (string?)null, (DateTimeOffset?)null), (row.Status, row.LeaseToken, row.LeaseExpiresAt));
    }

    [SkippableFact]
    public async Task Find_reads_without_claiming_nothing_then_the_live_lease_then_the_stored_response()
    {
        await using var fixture = await StoreFixture.CreateAsync(Kind);
        var first = Request(StoreFixture.Start);

        var none = await WithClaimsAsync(fixture, s => s.FindAsync(first, default).AsTask());
        await WithClaimsAsync(fixture, s => s.ClaimAsync(first, Wait, default).AsTask());
        var held = await WithClaimsAsync(fixture, s => s.FindAsync(Request(StoreFixture.Start.AddSeconds(1)), default).AsTask());
        var takeable = await WithClaimsAsync(fixture, s => s.FindAsync(Request(StoreFixture.Start + Lease + TimeSpan.FromSeconds(3)), default).AsTask());
        await WithClaimsAsync(fixture, s => s.CompleteAsync(first.Id, first.ClaimToken, Created, first.Now, default).AsTask());
        var completed = await WithClaimsAsync(fixture, s => s.FindAsync(Request(StoreFixture.Start.AddSeconds(2)), default).AsTask());
        var expired = await WithClaimsAsync(fixture, s => s.FindAsync(Request(first.ExpiresAt), default).AsTask());

        Assert.Null(none);
        Assert.Equal((OperationClaimOutcome.Held, first.Id), (held!.Outcome, held.OperationId));
        Assert.Null(takeable);
        Assert.Equal(OperationClaimOutcome.Completed, completed!.Outcome);
        Assert.Equal(Created.Body.ToArray(), completed.Response!.Body.ToArray());
        Assert.Null(expired);
        await using var db = fixture.CreateDbContext();
        Assert.Equal(1, await db.Set<InboxOperation>().CountAsync());
    }

    [SkippableFact]
    public async Task Expired_lease_of_another_request_body_is_not_taken_over()
    {
        await using var fixture = await StoreFixture.CreateAsync(Kind);
        var first = Request(StoreFixture.Start);
        await WithClaimsAsync(fixture, s => s.ClaimAsync(first, Wait, default).AsTask());

        var other = await WithClaimsAsync(fixture, s => s.ClaimAsync(Request(StoreFixture.Start.AddHours(1), fingerprint: 2), Wait, default).AsTask());

        Assert.Equal(OperationClaimOutcome.Held, other.Outcome);
        Assert.Equal(first.Fingerprint, other.Fingerprint);
    }

    [SkippableFact]
    public async Task Release_with_its_token_frees_the_key_for_a_new_operation()
    {
        await using var fixture = await StoreFixture.CreateAsync(Kind);
        var first = Request(StoreFixture.Start);
        await WithClaimsAsync(fixture, s => s.ClaimAsync(first, Wait, default).AsTask());

        var wrongToken = await WithClaimsAsync(fixture, s => s.ReleaseAsync(first.Id, Guid.NewGuid().ToString("N"), default).AsTask());
        var released = await WithClaimsAsync(fixture, s => s.ReleaseAsync(first.Id, first.ClaimToken, default).AsTask());
        var next = Request(StoreFixture.Start.AddSeconds(1));
        var again = await WithClaimsAsync(fixture, s => s.ClaimAsync(next, Wait, default).AsTask());

        Assert.False(wrongToken);
        Assert.True(released);
        Assert.Equal((OperationClaimOutcome.Claimed, ClaimKind.Fresh, next.Id), (again.Outcome, again.Kind, again.OperationId));
    }

    [SkippableFact]
    public async Task Relay_never_republishes_a_synchronous_operation_and_the_sweeper_deletes_it_once_expired()
    {
        await using var fixture = await StoreFixture.CreateAsync(Kind);
        var abandoned = Request(StoreFixture.Start);
        await WithClaimsAsync(fixture, s => s.ClaimAsync(abandoned, Wait, default).AsTask());
        var backoff = new RelayBackoff(TimeSpan.FromSeconds(30), TimeSpan.FromHours(1));

        var dueSoon = await fixture.WithStoreAsync(s => s.ClaimDueAsync(StoreFixture.Start.AddMinutes(5), backoff, 100, default).AsTask());
        var dueBeforeExpiry = await fixture.WithStoreAsync(s => s.ClaimDueAsync(abandoned.ExpiresAt.AddSeconds(-1), backoff, 100, default).AsTask());
        var swept = await fixture.WithStoreAsync(s => s.DeleteExpiredOperationsAsync(abandoned.ExpiresAt, 100, default).AsTask());

        Assert.Empty(dueSoon);
        Assert.Empty(dueBeforeExpiry);
        Assert.Equal(1, swept);
    }

    [SkippableFact]
    public async Task Expired_operation_is_replaced_by_a_new_claim_with_the_same_key()
    {
        await using var fixture = await StoreFixture.CreateAsync(Kind);
        var first = Request(StoreFixture.Start);
        await WithClaimsAsync(fixture, s => s.ClaimAsync(first, Wait, default).AsTask());
        await WithClaimsAsync(fixture, s => s.CompleteAsync(first.Id, first.ClaimToken, Created, first.Now, default).AsTask());

        var next = Request(first.ExpiresAt, fingerprint: 2);
        var fresh = await WithClaimsAsync(fixture, s => s.ClaimAsync(next, Wait, default).AsTask());

        Assert.Equal((OperationClaimOutcome.Claimed, ClaimKind.Fresh, next.Id), (fresh.Outcome, fresh.Kind, fresh.OperationId));
        await using var db = fixture.CreateDbContext();
        var row = await db.Set<InboxOperation>().SingleAsync();
        Assert.Equal((next.Id, 0, OperationStatus.Processing), (row.Id, row.ResponseStatus, row.Status));
    }
}

public sealed class PostgresOperationClaimStoreTests : OperationClaimStoreTests
{
    protected override DatabaseKind Kind => DatabaseKind.PostgreSql;
}

public sealed class SqliteOperationClaimStoreTests : OperationClaimStoreTests
{
    protected override DatabaseKind Kind => DatabaseKind.Sqlite;
}

public sealed class SqlServerOperationClaimStoreTests : OperationClaimStoreTests
{
    protected override DatabaseKind Kind => DatabaseKind.SqlServer;
}
