using Inbox.EntityFrameworkCore.Model;
using Inbox.MassTransit.Tests.Support;
using Inbox.Operations;
using Inbox.Testing;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Inbox.MassTransit.Tests.Consuming;

public sealed class InboxConfigurationTests
{
    [Fact]
    public async Task Registration_overrides_the_mode_and_a_consumer_that_does_not_complete_the_operation_leaves_it_alone()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseKind.Sqlite);
        var effects = new TestEffects();
        await using var host = await InboxHost.StartAsync(database, rabbit: null, effects, inbox =>
            inbox.Consumer<ClaimConsumer>(InboxMode.Leased, completesOperation: false, name: "claims-audit"));

        var publication = await host.SubmitAsync(new SubmitClaim("pat_1"));

        await Eventually.TrueAsync("the entry", async () =>
            (await host.EntriesAsync()).Any(e => e.Consumer == "claims-audit" && e.Status == OperationStatus.Succeeded));
        var entry = Assert.Single(await host.EntriesAsync());
        Assert.Contains("clm_", entry.Result);
        Assert.Equal(InboxMode.Leased, Assert.Single(effects.ClaimModes));
        Assert.Equal(OperationStatus.Accepted, (await host.OperationAsync(publication.OperationId))!.Status);
        Assert.Single(await host.ClaimsAsync());
    }

    [Fact]
    public async Task Inbox_configured_on_one_endpoint_leaves_the_others_untouched()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseKind.Sqlite);
        await database.CreateSchemaAsync<WorkerDbContext>(options => new WorkerDbContext(options));
        var effects = new TestEffects();
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(effects);
        builder.Services.AddDbContext<WorkerDbContext>(options => database.Configure(options));
        builder.Services.AddInbox().UseEntityFrameworkCore<WorkerDbContext>(o => o.EnableRelay = o.EnableSweeper = false).UseMassTransit();
        builder.Services.Configure<MassTransitHostOptions>(o => o.WaitUntilStarted = true);
        builder.Services.AddMassTransit(bus =>
        {
            bus.AddConsumer<ClaimConsumer>();
            bus.AddConsumer<NoteConsumer>();
            bus.AddConsumer<ProbeConsumer>();
            bus.UsingInMemory((context, cfg) =>
            {
                cfg.ReceiveEndpoint("claims", e =>
                {
                    e.UseIdempotentInbox(context);
                    e.ConfigureConsumer<ClaimConsumer>(context);
                });
                cfg.ReceiveEndpoint("notes", e => e.ConfigureConsumer<NoteConsumer>(context));
                cfg.ReceiveEndpoint("probes", e => e.ConfigureConsumer<ProbeConsumer>(context));
            });
        });
        using var host = builder.Build();
        await host.StartAsync();
        try
        {
            var bus = host.Services.GetRequiredService<IBus>();
            var noteId = Guid.NewGuid();
            await bus.Publish(new RecordNote("plain"), c => c.MessageId = noteId);
            await bus.Publish(new RecordNote("plain"), c => c.MessageId = noteId);
            await bus.Publish(new SubmitClaim("pat_1"), c => c.MessageId = noteId);
            await bus.Publish(new SubmitClaim("pat_1"), c => c.MessageId = noteId);

            await Eventually.TrueAsync("two notes and one claim", async () =>
            {
                await using var db = new WorkerDbContext((DbContextOptions<WorkerDbContext>)database.Configure(new DbContextOptionsBuilder<WorkerDbContext>()).Options);
                return await db.Notes.CountAsync() == 2 && await db.Claims.CountAsync() == 1 && await db.Set<InboxEntry>().CountAsync() == 1;
            });

            // A consumer outside the inbox that asks for a downstream key is told how to put it behind the inbox.
            await bus.Publish(new ProbeMessage());
            var error = await Eventually.ReturnsAsync("the probe", () => Task.FromResult(effects.ProbeError), e => e is not null);
            Assert.Contains("cfg.UseIdempotentInbox(context)", error);
        }
        finally
        {
            await host.StopAsync();
        }
    }

    [Fact]
    public void Invalid_options_are_reported_together_at_configuration()
    {
        var options = new IdempotentInboxOptions
        {
            LeaseDuration = TimeSpan.Zero,
            LeaseSkewMargin = TimeSpan.FromSeconds(-1),
            RetentionGrace = TimeSpan.FromSeconds(-1),
            DefaultRetention = TimeSpan.Zero,
            StoreRetry = null!,
        };
        options.Consumer<ClaimConsumer>(InboxMode.Leased, name: "");

        Assert.Equal(
        [
            "IdempotentInboxOptions.LeaseDuration must be greater than zero; it is 00:00:00.",
            "IdempotentInboxOptions.LeaseSkewMargin must not be negative; it is -00:00:01.",
            "IdempotentInboxOptions.RetentionGrace must not be negative; it is -00:00:01.",
            "IdempotentInboxOptions.DefaultRetention must be greater than zero; it is 00:00:00.",
            "IdempotentInboxOptions.Retry and StoreRetry must be set; configure no retries with retry => retry.None().",
            "The inbox name '' must be 1 to 200 characters.",
        ], options.Validate());
    }

    [Fact]
    public void Attribute_name_over_the_column_length_fails_at_configuration()
    {
        var error = Assert.Throws<ConfigurationException>(() => new IdempotentInboxOptions().SettingsFor(typeof(LongNamedConsumer)));

        Assert.Equal(
            $"[IdempotentConsumer] on {typeof(LongNamedConsumer).FullName}: The inbox name '{LongNamedConsumer.Name}' must be 1 to 200 characters.",
            error.Message);
    }

    [Fact]
    public void Attribute_name_within_the_limit_is_taken_as_it_is()
    {
        var settings = new IdempotentInboxOptions().SettingsFor(typeof(NamedConsumer));

        Assert.Equal(("claims-v2", InboxMode.Leased, false), (settings.Name, settings.Mode, settings.CompletesOperation));
    }

    [IdempotentConsumer(InboxMode.Transactional, Name = Name)]
    private sealed class LongNamedConsumer : IConsumer<RecordNote>
    {
        public const string Name =
            "0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789" +
            "0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789" + "x";

        public Task Consume(ConsumeContext<RecordNote> context) => Task.CompletedTask;
    }

    [IdempotentConsumer(InboxMode.Leased, Name = "claims-v2", CompletesOperation = false)]
    private sealed class NamedConsumer : IConsumer<RecordNote>
    {
        public Task Consume(ConsumeContext<RecordNote> context) => Task.CompletedTask;
    }
}
