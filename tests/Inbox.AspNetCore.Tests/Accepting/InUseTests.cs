using System.Net;
using Inbox.AspNetCore.Tests.Support;
using Inbox.EntityFrameworkCore.Model;
using Inbox.Operations;
using Inbox.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Inbox.AspNetCore.Tests.Accepting;

/// <summary>
/// A request waits on another acceptance of its key (the database decides); only when that cannot be resolved in
/// the configured time does it get 409 idempotency_key_in_use with Retry-After.
/// </summary>
public abstract class InUseTests
{
    protected abstract DatabaseKind Kind { get; }

    /// <summary>Whether the store runs with group commit on (<c>InboxStoreOptions.GroupCommit</c>).</summary>
    protected virtual bool GroupCommit => false;

    [SkippableFact]
    public async Task Acceptance_blocked_past_the_timeout_is_409_in_use_with_retry_after_and_succeeds_afterwards()
    {
        await using var api = await TestApi.StartAsync(
            await ContractDatabase.CreateAsync(Kind),
            options => options.InUseTimeout = TimeSpan.FromMilliseconds(500),
            store => store.GroupCommit = GroupCommit,
            time: TimeProvider.System);

        // Another writer holds the key (uncommitted), as a first request still being accepted would.
        await using (var holder = api.CreateDbContext())
        await using (var transaction = await holder.Database.BeginTransactionAsync())
        {
            holder.Add(new InboxOperation
            {
                Id = RandomIds.NewOperationId(),
                TenantId = "",
                Endpoint = "POST /claims",
                IdempotencyKey = "key-1",
                Fingerprint = new byte[32],
                RequestId = RandomIds.NewRequestId(),
                ResponseStatus = 202,
                MessageType = "none",
                CreatedAt = DateTimeOffset.UtcNow,
                UpdatedAt = DateTimeOffset.UtcNow,
                ExpiresAt = DateTimeOffset.UtcNow.AddHours(1),
                RelayAt = DateTimeOffset.UtcNow.AddHours(1),
            });
            await holder.SaveChangesAsync();

            var blocked = await api.Client.SendAsync(Http.Post("/claims", Http.ValidClaim, key: "key-1"));

            Assert.Equal(HttpStatusCode.Conflict, blocked.StatusCode);
            Assert.Equal("1", blocked.Header("Retry-After"));
            var (code, message) = await blocked.ErrorAsync();
            Assert.Equal("idempotency_key_in_use", code);
            Assert.Contains("still being accepted", message);
            Assert.Empty(api.Publisher.Published);

            await transaction.RollbackAsync();
        }

        var retry = await api.Client.SendAsync(Http.Post("/claims", Http.ValidClaim, key: "key-1"));

        Assert.Equal(HttpStatusCode.Accepted, retry.StatusCode);
        Assert.Null(retry.Header("Idempotent-Replayed"));
        Assert.Single(api.Publisher.Published);
    }
}

public class PostgresInUseTests : InUseTests
{
    protected override DatabaseKind Kind => DatabaseKind.PostgreSql;

    // PostgreSQL only: its pg_stat_activity shows the second request waiting on the first one's row, so the test
    // can prove it waited rather than arrived after the commit.
    [SkippableFact]
    public async Task Acceptance_waits_on_an_uncommitted_first_request_and_replays_it_once_committed()
    {
        await using var api = await TestApi.StartAsync(
            await ContractDatabase.CreateAsync(Kind),
            options => options.InUseTimeout = TimeSpan.FromSeconds(30),
            store => store.GroupCommit = GroupCommit,
            time: TimeProvider.System);
        var template = await api.Client.SendAsync(Http.Post("/claims", Http.ValidClaim, key: "template"));
        var accepted = Assert.Single(await api.OperationsAsync());

        await using var holder = api.CreateDbContext();
        await using var transaction = await holder.Database.BeginTransactionAsync();
        accepted.Id = RandomIds.NewOperationId();
        accepted.IdempotencyKey = "key-1";
        holder.Add(accepted);
        await holder.SaveChangesAsync();

        var waiting = api.Client.SendAsync(Http.Post("/claims", Http.ValidClaim, key: "key-1"));
        await Eventually.TrueAsync("the second acceptance to wait on the first one's row", async () =>
        {
            await using var probe = api.CreateDbContext();
            var waiters = await probe.Database
                .SqlQueryRaw<int>("SELECT count(*)::int AS \"Value\" FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'")
                .SingleAsync();
            return waiters > 0;
        });
        Assert.False(waiting.IsCompleted);
        await transaction.CommitAsync();
        var response = await waiting;

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("true", response.Header("Idempotent-Replayed"));
        Assert.Equal(await template.Content.ReadAsByteArrayAsync(), await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(2, (await api.OperationsAsync()).Count);
        Assert.Single(api.Publisher.Published);
    }
}

/// <summary>
/// The same with group commit on: a batch that waits on a key held by another writer gives up after half the wait
/// limit and its acceptances run alone, so the one whose key is held is told in use by itself.
/// </summary>
public sealed class PostgresGroupCommitInUseTests : PostgresInUseTests
{
    protected override bool GroupCommit => true;
}

/// <summary>
/// SQLite has one write lock for the whole database, so a wait on it says the database is busy, not that a key is in
/// use: past the wait limit every request, with a key or without, gets 503 service_unavailable with Retry-After.
/// </summary>
public sealed class SqliteBusyTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("key-1")]
    public async Task Write_lock_held_by_another_connection_past_the_timeout_is_503_with_retry_after_and_the_retry_succeeds(string? key)
    {
        await using var api = await TestApi.StartAsync(
            await TestDatabase.CreateAsync(DatabaseKind.Sqlite),
            options => options.InUseTimeout = TimeSpan.FromMilliseconds(500),
            time: TimeProvider.System,
            kestrel: true);

        // Another connection takes the database's write lock and keeps it, as a long transaction of any writer would.
        await using (var holder = new SqliteConnection(api.Database.ConnectionString))
        {
            await holder.OpenAsync();
            await using var transaction = (SqliteTransaction)await holder.BeginTransactionAsync();
            await using (var write = holder.CreateCommand())
            {
                write.Transaction = transaction;
                write.CommandText = "CREATE TABLE lock_holder (id INTEGER)";
                await write.ExecuteNonQueryAsync();
            }

            var blocked = await api.Client.SendAsync(Http.Post("/claims", Http.ValidClaim, key: key));

            Assert.Equal(HttpStatusCode.ServiceUnavailable, blocked.StatusCode);
            Assert.Equal("1", blocked.Header("Retry-After"));
            var (code, message) = await blocked.ErrorAsync();
            Assert.Equal("service_unavailable", code);
            Assert.Contains("retry with the same idempotency key", message);
            Assert.Empty(api.Publisher.Published);

            await transaction.RollbackAsync();
        }

        Assert.Empty(await api.OperationsAsync());
        var retry = await api.Client.SendAsync(Http.Post("/claims", Http.ValidClaim, key: key));

        Assert.Equal(HttpStatusCode.Accepted, retry.StatusCode);
        Assert.Null(retry.Header("Idempotent-Replayed"));
        Assert.Single(api.Publisher.Published);
    }
}

public sealed class SqlServerInUseTests : InUseTests
{
    protected override DatabaseKind Kind => DatabaseKind.SqlServer;
}
