using System.Diagnostics.Metrics;
using Inbox.Background;
using Inbox.Diagnostics;
using Inbox.EntityFrameworkCore.Model;
using Inbox.EntityFrameworkCore.Tests.Support;
using Inbox.Publishing;
using Inbox.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Inbox.EntityFrameworkCore.Tests.Background;

/// <summary>
/// Guarantee 10 (the relay backs off): an operation no consumer takes is republished at doubling intervals up to
/// <see cref="InboxStoreOptions.RelayMaxDelay"/>, its attempts are recorded, and crossing
/// <see cref="InboxStoreOptions.RelayStalledThreshold"/> warns and counts once.
/// </summary>
public abstract class RelayBackoffTests
{
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(5);

    protected abstract DatabaseKind Kind { get; }

    [SkippableFact]
    public async Task Operation_no_consumer_completes_is_republished_at_doubling_intervals_up_to_the_cap_and_flagged_once()
    {
        await using var fixture = await StoreFixture.CreateAsync(Kind);
        var time = new FakeTimeProvider(StoreFixture.Start);
        var publisher = new CountingPublisher();
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(time);
        services.AddFakeLogging();
        services.AddDbContext<StoreDbContext>(options => fixture.Database.Configure(options));
        services.AddSingleton<IOperationPublisher>(publisher);
        services.AddInbox().UseEntityFrameworkCore<StoreDbContext>(store =>
        {
            store.RelayDelay = TimeSpan.FromSeconds(30);
            store.RelayMaxDelay = TimeSpan.FromMinutes(4);
            store.RelayStalledThreshold = 4;
        });
        await using var provider = services.BuildServiceProvider();
        using var stalled = new MetricCollector<long>(
            provider.GetRequiredService<IMeterFactory>(), InboxDiagnostics.Name, InboxDiagnostics.OperationsRelayStalled);
        var operation = StoreFixture.NewOperation(
            messageType: MessageTypeNames.Of(typeof(RelayedMessage)),
            messageBody: MessageSerializer.Serialize(new RelayedMessage(7), typeof(RelayedMessage)));
        await fixture.WithStoreAsync(store => store.AcceptAsync(operation, TimeSpan.FromSeconds(10), default).AsTask());
        var relay = provider.GetRequiredService<OperationRelay>();

        // One relay pass per poll over 20 minutes; nobody ever completes the operation.
        var publishedAfterSeconds = new List<double>();
        for (var elapsed = TimeSpan.Zero; elapsed <= TimeSpan.FromMinutes(20); elapsed += Poll)
        {
            var before = publisher.Count;
            await relay.RelayDueAsync(default);
            if (publisher.Count > before)
            {
                publishedAfterSeconds.Add(elapsed.TotalSeconds);
            }

            time.Advance(Poll);
        }

        // Waits of 30, 60, 120 and 240 s, then 240 s (the cap) every time.
        Assert.Equal([30, 90, 210, 450, 690, 930, 1170], publishedAfterSeconds);
        await using (var db = fixture.CreateDbContext())
        {
            var row = await db.Set<InboxOperation>().AsNoTracking().SingleAsync();
            Assert.Equal(7, row.RelayAttempts);
            Assert.Equal(StoreFixture.Start.AddSeconds(1170 + 240), row.RelayAt);
        }

        Assert.Equal(1, stalled.GetMeasurementSnapshot().EvaluateAsCounter());
        var warning = Assert.Single(provider.GetFakeLogCollector().GetSnapshot(), r => r.Id.Name == "RelayStalled");
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains(operation.Id, warning.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(operation.IdempotencyKey!, warning.Message, StringComparison.Ordinal);
    }

    public sealed record RelayedMessage(int Value);

    private sealed class CountingPublisher : IOperationPublisher
    {
        private int _count;

        public int Count => Volatile.Read(ref _count);

        public ValueTask PublishAsync(OperationPublication publication, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _count);
            return ValueTask.CompletedTask;
        }
    }
}

public sealed class PostgresRelayBackoffTests : RelayBackoffTests
{
    protected override DatabaseKind Kind => DatabaseKind.PostgreSql;
}

public sealed class SqliteRelayBackoffTests : RelayBackoffTests
{
    protected override DatabaseKind Kind => DatabaseKind.Sqlite;
}

public sealed class SqlServerRelayBackoffTests : RelayBackoffTests
{
    protected override DatabaseKind Kind => DatabaseKind.SqlServer;
}
