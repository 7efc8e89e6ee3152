using System.Collections.Concurrent;
using Inbox.MassTransit.Publishing;
using Inbox.Operations;
using Inbox.Publishing;
using Inbox.Testing;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Inbox.MassTransit.Tests.Publishing;

public sealed record StampedMessage(string Text);

public sealed class StampRecorder : IConsumer<StampedMessage>
{
    public static readonly ConcurrentQueue<(Guid? MessageId, Dictionary<string, string?> Headers, string Text)> Received = new();

    public Task Consume(ConsumeContext<StampedMessage> context)
    {
        Received.Enqueue((context.MessageId, context.Headers.GetAll().ToDictionary(h => h.Key, h => h.Value?.ToString()), context.Message.Text));
        return Task.CompletedTask;
    }
}

/// <summary>The publish port over a real RabbitMQ: what a consumer sees of an accepted operation.</summary>
public sealed class PublisherTests
{
    [Fact]
    public async Task Published_operation_carries_its_key_scope_operation_id_expiry_and_a_message_id_derived_from_the_operation()
    {
        await using var rabbit = await RabbitMqServer.CreateVirtualHostAsync();
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddInbox().UseMassTransit();
        builder.Services.Configure<MassTransitHostOptions>(o => o.WaitUntilStarted = true);
        builder.Services.AddMassTransit(bus =>
        {
            bus.AddConsumer<StampRecorder>();
            bus.UsingRabbitMq((context, cfg) =>
            {
                cfg.Host(rabbit.AmqpUri);
                cfg.ConfigureEndpoints(context);
            });
        });
        using var host = builder.Build();
        await host.StartAsync();
        try
        {
            var operationId = RandomIds.NewOperationId();
            var expiresAt = new DateTimeOffset(2026, 11, 24, 9, 0, 0, TimeSpan.Zero);
            var publication = new OperationPublication
            {
                OperationId = operationId,
                Scope = new OperationScope("org_a", "POST /v1/claims"),
                IdempotencyKey = "key-42",
                ExpiresAt = expiresAt,
                Message = new StampedMessage(operationId),
                MessageType = typeof(StampedMessage),
            };
            var publisher = host.Services.GetRequiredService<IOperationPublisher>();

            await publisher.PublishAsync(publication, default);
            await publisher.PublishAsync(publication, default);

            var received = await Eventually.ReturnsAsync("both publishes", () =>
                Task.FromResult(StampRecorder.Received.Where(r => r.Text == operationId).ToList()), r => r.Count == 2);
            Assert.All(received, r =>
            {
                Assert.Equal(OperationMessageIds.For(operationId), r.MessageId);
                Assert.Equal("key-42", r.Headers["Idempotency-Key"]);
                Assert.Equal(operationId, r.Headers["Inbox-Operation-Id"]);
                Assert.Equal("org_a", r.Headers["Inbox-Tenant"]);
                Assert.Equal("POST /v1/claims", r.Headers["Inbox-Endpoint"]);
                Assert.Equal(expiresAt, DateTimeOffset.Parse(r.Headers["Inbox-Operation-Expires-At"]!, System.Globalization.CultureInfo.InvariantCulture));
            });
            Assert.NotEqual(OperationMessageIds.For(RandomIds.NewOperationId()), OperationMessageIds.For(operationId));
        }
        finally
        {
            await host.StopAsync();
        }
    }
}
