using System.Net;
using Inbox.AspNetCore.Tests.Support;
using Inbox.EntityFrameworkCore.Model;
using Inbox.Operations;
using Inbox.Testing;
using Microsoft.EntityFrameworkCore;

namespace Inbox.AspNetCore.Tests.Background;

/// <summary>
/// Guarantee 1 (the row is the outbox: a publish lost after commit is relayed) and guarantee 5 (the sweeper),
/// through the hosted service on the application's clock.
/// </summary>
public abstract class RelayAndSweeperTests
{
    protected abstract DatabaseKind Kind { get; }

    private async Task<TestApi> StartAsync() => await TestApi.StartAsync(
        await ContractDatabase.CreateAsync(Kind),
        configureStore: store =>
        {
            store.EnableRelay = true;
            store.EnableSweeper = true;
            store.RelayDelay = TimeSpan.FromSeconds(30);
            store.RelayPollInterval = TimeSpan.FromSeconds(5);
            store.SweepInterval = TimeSpan.FromMinutes(1);
        });

    /// <summary>Moves the fake clock in poll-sized steps until <paramref name="condition"/> holds.</summary>
    private static async Task AdvanceUntilAsync(TestApi api, TimeSpan step, TimeSpan limit, string what, Func<Task<bool>> condition)
    {
        var moved = TimeSpan.Zero;
        await Eventually.TrueAsync(what, async () =>
        {
            if (await condition())
            {
                return true;
            }

            if (moved < limit)
            {
                api.FakeTime.Advance(step);
                moved += step;
            }

            return false;
        });
    }

    [SkippableFact]
    public async Task Publish_that_failed_after_commit_is_relayed_once_the_broker_is_back()
    {
        await using var api = await StartAsync();
        api.Publisher.Fail = true;
        var response = await api.Client.SendAsync(Http.Post("/claims", Http.ValidClaim, key: "key-1"));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(1, api.Publisher.Attempts);
        Assert.Empty(api.Publisher.Published);

        api.Publisher.Fail = false;
        await AdvanceUntilAsync(api, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(40), "the relay to publish",
            () => Task.FromResult(api.Publisher.Published.Count > 0));

        var relayed = Assert.Single(api.Publisher.Published);
        var id = response.Headers.Location!.OriginalString["/operations/".Length..];
        Assert.Equal(id, relayed.OperationId);
        Assert.Equal("key-1", relayed.IdempotencyKey);
        Assert.Equal(new SubmitClaim("pat_123", 12500), relayed.Message);
        Assert.Equal(typeof(SubmitClaim), relayed.MessageType);
    }

    [SkippableFact]
    public async Task Operation_taken_by_a_consumer_is_not_relayed()
    {
        await using var api = await StartAsync();
        var response = await api.Client.SendAsync(Http.Post("/claims", Http.ValidClaim, key: "key-1"));
        var id = response.Headers.Location!.OriginalString["/operations/".Length..];
        await using (var db = api.CreateDbContext())
        {
            await db.Set<InboxOperation>().Where(o => o.Id == id).ExecuteUpdateAsync(s => s.SetProperty(o => o.Status, OperationStatus.Succeeded));
        }

        // A control operation, accepted while the broker is down, proves the relay ran in the same window.
        api.Publisher.Fail = true;
        await api.Client.SendAsync(Http.Post("/claims", Http.ValidClaim, key: "control"));
        api.Publisher.Fail = false;
        await AdvanceUntilAsync(api, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(60), "the relay to publish the control operation",
            () => Task.FromResult(api.Publisher.Published.Count > 1));

        Assert.Equal(1, api.Publisher.Published.Count(p => p.OperationId == id));
        Assert.Single(api.Publisher.Published, p => p.IdempotencyKey == "control");
    }

    [SkippableFact]
    public async Task Sweeper_removes_expired_operations_on_its_interval()
    {
        await using var api = await StartAsync();
        await api.Client.SendAsync(Http.Post("/claims", Http.ValidClaim, key: "key-1"));
        await api.Client.SendAsync(Http.Post("/claims", Http.ValidClaim, key: "key-2"));
        Assert.Equal(2, (await api.OperationsAsync()).Count);

        api.FakeTime.Advance(TimeSpan.FromHours(24));
        await AdvanceUntilAsync(api, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5), "the sweeper to delete expired rows",
            async () => (await api.OperationsAsync()).Count == 0);
    }
}

public sealed class PostgresRelayAndSweeperTests : RelayAndSweeperTests
{
    protected override DatabaseKind Kind => DatabaseKind.PostgreSql;
}

public sealed class SqliteRelayAndSweeperTests : RelayAndSweeperTests
{
    protected override DatabaseKind Kind => DatabaseKind.Sqlite;
}

public sealed class SqlServerRelayAndSweeperTests : RelayAndSweeperTests
{
    protected override DatabaseKind Kind => DatabaseKind.SqlServer;
}
