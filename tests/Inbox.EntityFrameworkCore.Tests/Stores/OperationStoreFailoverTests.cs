using Inbox.Background;
using Inbox.EntityFrameworkCore.Stores;
using Inbox.EntityFrameworkCore.Tests.Support;
using Inbox.Operations;
using Inbox.Stores;
using Inbox.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Inbox.EntityFrameworkCore.Tests.Stores;

/// <summary>
/// The operation store on eng/cluster.sh's PostgreSQL pair through the multi-host string
/// (<c>Target Session Attributes=primary</c>) while the primary crashes and the synchronous standby is promoted.
/// </summary>
public sealed class OperationStoreFailoverTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Recovery = TimeSpan.FromSeconds(60);

    [SkippableFact]
    public async Task An_acknowledged_accept_survives_a_crash_of_the_primary_and_a_promotion()
    {
        Skip.If(PostgresCluster.UnavailableReason is not null, PostgresCluster.UnavailableReason);
        await PostgresCluster.WhileHoldingAsync(async () =>
        {
            await using var database = await PostgresCluster.CreateDatabaseAsync();
            var options = (DbContextOptions<StoreDbContext>)new DbContextOptionsBuilder<StoreDbContext>().UseNpgsql(database.ConnectionString).Options;
            await using (var db = new StoreDbContext(options))
            {
                await db.Database.EnsureCreatedAsync();
            }

            var storeOptions = Options.Create(new InboxStoreOptions());
            async Task<T> WithStore<T>(Func<EntityFrameworkOperationStore<StoreDbContext>, Task<T>> action)
            {
                await using var db = new StoreDbContext(options);
                return await action(new EntityFrameworkOperationStore<StoreDbContext>(db, storeOptions));
            }

            var acknowledged = StoreFixture.NewOperation(key: "before-failover");
            var accepted = await WithStore(store => store.AcceptAsync(acknowledged, Wait, default).AsTask());
            Assert.Equal(AcceptOutcomeKind.Created, accepted.Kind);

            await PostgresCluster.CrashPrimaryAsync();
            await PostgresCluster.PromoteAsync();

            // The pool still holds connections (with prepared statements) to the dead primary: each use may fail,
            // and must fail as "unavailable" (a 503 and a retry), never as anything else, until the new primary answers.
            var found = await UntilAvailable(() => WithStore(store => store.FindAsync("org_a", acknowledged.Id, StoreFixture.Start, default).AsTask()));
            Assert.NotNull(found);
            Assert.Equal(acknowledged.Id, found.Id);

            var after = StoreFixture.NewOperation(key: "after-failover");
            var acceptedAfter = await UntilAvailable(() => WithStore(store => store.AcceptAsync(after, Wait, default).AsTask()));
            Assert.Equal(AcceptOutcomeKind.Created, acceptedAfter.Kind);
            var retry = StoreFixture.NewOperation(key: "before-failover", fingerprint: 2);
            var retried = await WithStore(store => store.AcceptAsync(retry, Wait, default).AsTask());
            Assert.Equal(AcceptOutcomeKind.Existing, retried.Kind);
            Assert.Equal(acknowledged.Id, retried.OperationId);
        });
    }

    private static async Task<T> UntilAvailable<T>(Func<Task<T>> action)
    {
        var deadline = DateTime.UtcNow + Recovery;
        while (true)
        {
            try
            {
                return await action();
            }
            catch (InboxStoreUnavailableException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200));
            }
        }
    }
}
