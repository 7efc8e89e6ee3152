using Inbox.Background;
using Inbox.MassTransit.Tests.Support;
using Inbox.Operations;
using Inbox.Publishing;
using Inbox.Stores;
using Inbox.Testing;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Inbox.MassTransit.Tests.Consuming;

/// <summary>
/// Leased consumers, the relay and the sweeper need nothing but Core's store contracts: they run here over
/// <see cref="MemoryInboxStore"/>, a second store with no EF Core in it, on MassTransit's in-memory transport.
/// </summary>
public sealed class MinimalStoreTests
{
    private static readonly TimeSpan RelayDelay = TimeSpan.FromSeconds(30);

    private static IHost Build(MemoryInboxStore store, TestEffects effects, Action<IBusRegistrationConfigurator>? consumers = null)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(effects);
        builder.Services.AddSingleton(store);
        builder.Services.AddScoped<IInboxEntryStore>(sp => sp.GetRequiredService<MemoryInboxStore>());
        builder.Services.AddScoped<IOperationRelayStore>(sp => sp.GetRequiredService<MemoryInboxStore>());
        builder.Services.AddScoped<IRetentionStore>(sp => sp.GetRequiredService<MemoryInboxStore>());
        // The bus first, waited for: the relay's first pass (at once) must find the consumer's endpoint bound. On the
        // in-memory transport a publish before that is dropped, and the relay publishes again only after RelayDelay
        // (CI saw RelayAttempts 2 once).
        builder.Services.Configure<MassTransitHostOptions>(host => host.WaitUntilStarted = true);
        builder.Services.AddMassTransit(bus =>
        {
            bus.SetKebabCaseEndpointNameFormatter();
            bus.AddConsumer<WebhookConsumer>();
            consumers?.Invoke(bus);
            bus.UsingInMemory((context, cfg) =>
            {
                cfg.UseIdempotentInbox(context, inbox => inbox.Retry = r => r.Immediate(1));
                cfg.ConfigureEndpoints(context);
            });
        });
        builder.Services.AddInbox()
            .UseMassTransit()
            .AddRelayAndSweeper(options =>
            {
                options.RelayDelay = RelayDelay;
                options.RelayPollInterval = TimeSpan.FromMilliseconds(50);
                options.SweepInterval = TimeSpan.FromMilliseconds(50);
            });
        return builder.Build();
    }

    private static OperationPublication Publication(DateTimeOffset expiresAt) => new()
    {
        OperationId = RandomIds.NewOperationId(),
        Scope = new OperationScope("org_a", "POST /v1/webhook-events"),
        IdempotencyKey = Guid.NewGuid().ToString(),
        ExpiresAt = expiresAt,
        Message = new FireWebhook("claim.updated"),
        MessageType = typeof(FireWebhook),
    };

    [Fact]
    public async Task Relay_publishes_an_accepted_operation_a_leased_consumer_runs_it_once_and_the_sweeper_removes_what_expired()
    {
        var store = new MemoryInboxStore(RelayDelay);
        var effects = new TestEffects();
        var now = DateTimeOffset.UtcNow;
        var relayed = Publication(now.AddHours(1));
        store.Accept(relayed, relayAt: now.AddSeconds(-1));
        var expired = Publication(now.AddSeconds(-1));
        store.Accept(expired, relayAt: now.AddHours(1));
        store.Add("gone-consumer", "msg:old", new MemoryInboxStore.Entry
        {
            Status = OperationStatus.Succeeded, ClaimToken = "old", Attempt = 1, ExpiresAt = now.AddSeconds(-1),
        });

        using var host = Build(store, effects);
        using var metrics = new HostMetrics(host.Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>());
        await host.StartAsync();
        try
        {
            var succeeded = await Eventually.ReturnsAsync(
                "the relayed operation to succeed", () => Task.FromResult(store.FindOperation(relayed.OperationId)), o => o?.Status == OperationStatus.Succeeded);
            Assert.Contains("webhook_id", succeeded!.Result);
            var (key, calls) = Assert.Single(effects.DownstreamCalls);
            Assert.Equal(1, calls);

            var publisher = host.Services.GetRequiredService<IOperationPublisher>();
            await publisher.PublishAsync(relayed, default);
            await publisher.PublishAsync(relayed, default);
            await Eventually.TrueAsync("two duplicates to be skipped", () => Task.FromResult(metrics.DuplicatesSkipped == 2));
            Assert.Equal(1, effects.DownstreamCalls[key]);

            await Eventually.TrueAsync("the sweeper to remove the expired operation and entry", () => Task.FromResult(
                store.FindOperation(expired.OperationId) is null && store.Entries().All(e => e.ClaimToken != "old")));
            var entry = Assert.Single(store.Entries());
            Assert.Equal(OperationStatus.Succeeded, entry.Status);
            Assert.Equal(1, store.FindOperation(relayed.OperationId)!.RelayAttempts);
        }
        finally
        {
            await host.StopAsync();
        }
    }

    [Fact]
    public async Task Failure_record_carries_the_token_of_the_failing_consumers_own_last_claim()
    {
        var store = new MemoryInboxStore(RelayDelay);
        var effects = new TestEffects { AlwaysThrow = true };
        var publication = Publication(DateTimeOffset.UtcNow.AddHours(1));
        store.Accept(publication, relayAt: DateTimeOffset.UtcNow.AddHours(1));
        using var host = Build(store, effects);
        await host.StartAsync();
        try
        {
            await host.Services.GetRequiredService<IOperationPublisher>().PublishAsync(publication, default);

            var failure = Assert.Single(await Eventually.ReturnsAsync("the failure record", () => Task.FromResult(store.Failures.ToArray()), f => f.Length > 0));
            var entry = Assert.Single(store.Entries());
            Assert.Equal((typeof(WebhookConsumer).FullName, entry.ClaimToken), (failure.Consumer, failure.HeldClaimToken));
            Assert.True(failure.TakeoverBefore < failure.Now);
            Assert.Equal((OperationStatus.Failed, 2), (entry.Status, entry.Attempt));
            Assert.Equal(OperationStatus.Failed, store.FindOperation(publication.OperationId)!.Status);
        }
        finally
        {
            await host.StopAsync();
        }
    }

    [Fact]
    public void Transactional_consumer_over_a_store_without_a_unit_of_work_fails_at_configuration()
    {
        using var host = Build(new MemoryInboxStore(RelayDelay), new TestEffects(), bus => bus.AddConsumer<NoteConsumer>());

        var error = Assert.ThrowsAny<Exception>(() => host.Services.GetRequiredService<IBusControl>());

        var configuration = Assert.IsType<ConfigurationException>(error.GetBaseException());
        Assert.Equal(
            $"{typeof(NoteConsumer).FullName} runs in InboxMode.Transactional, which needs an IInboxUnitOfWork: register a store, for example " +
            "services.AddInbox().UseEntityFrameworkCore<TDbContext>(), before configuring UseIdempotentInbox.",
            configuration.Message);
    }
}
