using Inbox.EntityFrameworkCore.Model;
using Inbox.Operations;
using Inbox.Publishing;
using Inbox.Stores;
using Inbox.Testing;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Inbox.MassTransit.Tests.Support;

/// <summary>
/// A worker process in miniature: a generic host with the application's context, MassTransit on a real
/// RabbitMQ virtual host (or the in-memory transport for the embedded mode) and the consumers behind the inbox.
/// </summary>
public sealed class InboxHost : IAsyncDisposable
{
    private readonly IHost _host;

    private InboxHost(IHost host, TestDatabase database, HostMetrics metrics)
    {
        _host = host;
        Database = database;
        Metrics = metrics;
    }

    public HostMetrics Metrics { get; }

    public TestDatabase Database { get; }

    public IServiceProvider Services => _host.Services;

    public CommandCounter Commands => Services.GetRequiredService<CommandCounter>();

    public static async Task<InboxHost> StartAsync(
        TestDatabase database,
        RabbitMqVirtualHost? rabbit,
        TestEffects effects,
        Action<IdempotentInboxOptions>? inbox = null,
        Action<IRabbitMqBusFactoryConfigurator>? rabbitBus = null,
        Action<IBusRegistrationConfigurator>? consumers = null,
        Action<DbContextOptionsBuilder>? dbOptions = null)
    {
        await database.CreateSchemaAsync<WorkerDbContext>(options => new WorkerDbContext(options));

        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        if (Environment.GetEnvironmentVariable("INBOX_TEST_LOGS") == "1")
        {
            // For a failing test: INBOX_TEST_LOGS=1 dotnet test ... --logger "console;verbosity=detailed"
            builder.Logging.AddConsole();
        }
        builder.Services.AddSingleton(effects);
        builder.Services.AddSingleton<CommandCounter>();
        builder.Services.AddDbContext<WorkerDbContext>((sp, options) =>
        {
            database.Configure(options).AddInterceptors(sp.GetRequiredService<CommandCounter>());
            dbOptions?.Invoke(options);
        });
        builder.Services.AddInbox()
            .UseEntityFrameworkCore<WorkerDbContext>(store =>
            {
                store.EnableRelay = false;
                store.EnableSweeper = false;
            })
            .UseMassTransit();
        builder.Services.Configure<MassTransitHostOptions>(options =>
        {
            options.WaitUntilStarted = true;
            options.StopTimeout = TimeSpan.FromSeconds(10);
        });
        builder.Services.AddMassTransit(bus =>
        {
            bus.SetKebabCaseEndpointNameFormatter();
            bus.AddConsumer<ClaimConsumer>();
            bus.AddConsumer<WebhookConsumer>();
            bus.AddConsumer<NoteConsumer>();
            consumers?.Invoke(bus);
            if (rabbit is null)
            {
                bus.UsingInMemory((context, cfg) =>
                {
                    cfg.UseIdempotentInbox(context, inbox);
                    cfg.ConfigureEndpoints(context);
                });
            }
            else
            {
                bus.UsingRabbitMq((context, cfg) =>
                {
                    cfg.Host(rabbit.AmqpUri);
                    cfg.UseIdempotentInbox(context, inbox);
                    rabbitBus?.Invoke(cfg);
                    cfg.ConfigureEndpoints(context);
                });
            }
        });

        var host = builder.Build();
        var metrics = new HostMetrics(host.Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>());
        if (database.Kind == DatabaseKind.PostgreSql)
        {
            host.Services.GetRequiredService<CommandCounter>().Database = new Npgsql.NpgsqlConnectionStringBuilder(database.ConnectionString).Database;
        }
        await host.StartAsync();
        return new InboxHost(host, database, metrics);
    }

    /// <summary>Stores an operation as the HTTP side would, publishes it once, and returns it.</summary>
    public async Task<OperationPublication> SubmitAsync<TMessage>(TMessage message, string? key = null, string tenant = "org_a", string endpoint = "POST /v1/test")
        where TMessage : class
    {
        var publication = await AcceptAsync(message, key, tenant, endpoint);
        await PublishAsync(publication);
        return publication;
    }

    /// <summary>Stores an operation as the HTTP side would and returns its publication, unpublished.</summary>
    public async Task<OperationPublication> AcceptAsync<TMessage>(TMessage message, string? key = null, string tenant = "org_a", string endpoint = "POST /v1/test")
        where TMessage : class
    {
        var now = DateTimeOffset.UtcNow;
        var operation = new NewOperation
        {
            Id = RandomIds.NewOperationId(),
            Scope = new OperationScope(tenant, endpoint),
            IdempotencyKey = key ?? Guid.NewGuid().ToString(),
            Fingerprint = new byte[32],
            RequestId = RandomIds.NewRequestId(),
            Response = new StoredResponse(202, [], "{}"u8.ToArray()),
            MessageType = MessageTypeNames.Of(typeof(TMessage)),
            MessageBody = MessageSerializer.Serialize(message, typeof(TMessage)),
            CreatedAt = now,
            ExpiresAt = now.AddHours(24),
        };
        await using (var scope = Services.CreateAsyncScope())
        {
            var outcome = await scope.ServiceProvider.GetRequiredService<IOperationStore>().AcceptAsync(operation, TimeSpan.FromSeconds(10), default);
            Assert.Equal(AcceptOutcomeKind.Created, outcome.Kind);
        }

        return new OperationPublication
        {
            OperationId = operation.Id,
            Scope = operation.Scope,
            IdempotencyKey = operation.IdempotencyKey,
            ExpiresAt = operation.ExpiresAt,
            Message = message,
            MessageType = typeof(TMessage),
        };
    }

    public async Task PublishAsync(OperationPublication publication) =>
        await Services.GetRequiredService<IOperationPublisher>().PublishAsync(publication, default);

    public WorkerDbContext CreateDbContext() =>
        new((DbContextOptions<WorkerDbContext>)Database.Configure(new DbContextOptionsBuilder<WorkerDbContext>()).Options);

    public async Task<InboxOperation?> OperationAsync(string id)
    {
        await using var db = CreateDbContext();
        return await db.Set<InboxOperation>().AsNoTracking().SingleOrDefaultAsync(o => o.Id == id);
    }

    public async Task<InboxOperation> OperationWhenAsync(string id, OperationStatus status, TimeSpan? timeout = null) =>
        (await Eventually.ReturnsAsync($"operation {id} to be {status}", () => OperationAsync(id), o => o?.Status == status, timeout))!;

    public async Task<List<ClaimRecord>> ClaimsAsync()
    {
        await using var db = CreateDbContext();
        return await db.Claims.AsNoTracking().ToListAsync();
    }

    public async Task<List<InboxEntry>> EntriesAsync()
    {
        await using var db = CreateDbContext();
        return await db.Set<InboxEntry>().AsNoTracking().ToListAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
        Metrics.Dispose();
    }
}
