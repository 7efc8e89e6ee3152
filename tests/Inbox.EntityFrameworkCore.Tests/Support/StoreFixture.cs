using Inbox.Background;
using Inbox.EntityFrameworkCore.Stores;
using Inbox.Operations;
using Inbox.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Inbox.EntityFrameworkCore.Tests.Support;

/// <summary>One test's database with the Inbox schema, and stores over fresh contexts.</summary>
internal sealed class StoreFixture : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);

    private StoreFixture(TestDatabase database, InboxStoreOptions options)
    {
        Database = database;
        Options = options;
    }

    public TestDatabase Database { get; }

    public InboxStoreOptions Options { get; }

    public static async Task<StoreFixture> CreateAsync(DatabaseKind kind, InboxStoreOptions? options = null)
    {
        if (kind == DatabaseKind.SqlServer)
        {
            Skip.If(SqlServerServer.UnavailableReason is not null, SqlServerServer.UnavailableReason);
        }

        var database = await TestDatabase.CreateAsync(kind);
        await database.CreateSchemaAsync<StoreDbContext>(o => new StoreDbContext(o));
        return new StoreFixture(database, options ?? new InboxStoreOptions());
    }

    public StoreDbContext CreateDbContext() =>
        new((DbContextOptions<StoreDbContext>)Database.Configure(new DbContextOptionsBuilder<StoreDbContext>()).Options);

    /// <summary>Runs <paramref name="action"/> with a store over its own context, as one request scope would.</summary>
    public async Task<T> WithStoreAsync<T>(Func<EntityFrameworkOperationStore<StoreDbContext>, Task<T>> action)
    {
        await using var db = CreateDbContext();
        return await action(new EntityFrameworkOperationStore<StoreDbContext>(db, Microsoft.Extensions.Options.Options.Create(Options)));
    }

    /// <summary>
    /// Runs <paramref name="sweepers"/> sweepers at once, each deleting batches with <paramref name="deleteBatch"/>
    /// until a batch comes back empty; returns how many rows they deleted between them.
    /// </summary>
    public async Task<int> SweepConcurrentlyAsync(int sweepers, Func<EntityFrameworkOperationStore<StoreDbContext>, ValueTask<int>> deleteBatch)
    {
        var totals = await Task.WhenAll(Enumerable.Range(0, sweepers).Select(_ => Task.Run(async () =>
        {
            var total = 0;
            int deleted;
            do
            {
                deleted = await WithStoreAsync(store => deleteBatch(store).AsTask());
                total += deleted;
            }
            while (deleted > 0);

            return total;
        })));
        return totals.Sum();
    }

    public static NewOperation NewOperation(
        string? key = "key-1", string tenant = "org_a", string endpoint = "POST /claims", DateTimeOffset? at = null, byte fingerprint = 1, TimeSpan? retention = null,
        string messageType = "Inbox.Tests.Message, Inbox.Tests", byte[]? messageBody = null)
    {
        var now = at ?? Start;
        return new NewOperation
        {
            Id = RandomIds.NewOperationId(),
            Scope = new OperationScope(tenant, endpoint),
            IdempotencyKey = key,
            Fingerprint = Enumerable.Repeat(fingerprint, 32).ToArray(),
            RequestId = RandomIds.NewRequestId(),
            Response = new StoredResponse(202, [new("Location", "/operations/x"), new("Retry-After", "1")], "{\"data\":1}"u8.ToArray()),
            MessageType = messageType,
            MessageBody = messageBody ?? "{\"value\":1}"u8.ToArray(),
            CreatedAt = now,
            ExpiresAt = now + (retention ?? TimeSpan.FromHours(24)),
        };
    }

    public ValueTask DisposeAsync() => Database.DisposeAsync();
}
