using Inbox.Testing;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Inbox.MassTransit.Tests.Harness;

/// <summary>
/// Proves the harness end to end: a real RabbitMQ virtual host, a real PostgreSQL database, a MassTransit
/// consumer that reads the Idempotency-Key header and writes a row inside a transaction.
/// </summary>
public sealed class HarnessSmokeTests
{
    [Fact]
    public async Task Message_published_with_a_key_is_consumed_and_written_to_postgres_with_that_key()
    {
        await using var database = await PostgresServer.CreateDatabaseAsync();
        await using var virtualHost = await RabbitMqServer.CreateVirtualHostAsync();

        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddDbContext<SmokeDbContext>(options => options.UseNpgsql(database.ConnectionString));
        builder.Services.AddMassTransit(bus =>
        {
            bus.AddConsumer<SmokeConsumer>();
            bus.UsingRabbitMq((context, rabbit) =>
            {
                rabbit.Host(virtualHost.AmqpUri);
                rabbit.ConfigureEndpoints(context);
            });
        });

        builder.Services.Configure<MassTransitHostOptions>(options => options.WaitUntilStarted = true);

        using var host = builder.Build();
        await using (var scope = host.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<SmokeDbContext>().Database.EnsureCreatedAsync();
        }

        await host.StartAsync();
        try
        {
            var key = "smoke-" + Guid.NewGuid().ToString("N");
            var bus = host.Services.GetRequiredService<IBus>();
            await bus.Publish(new SmokeMessage("hello"), context => context.Headers.Set("Idempotency-Key", key));

            var row = await Eventually.ReturnsAsync(
                "the consumer's row",
                async () =>
                {
                    await using var scope = host.Services.CreateAsyncScope();
                    var db = scope.ServiceProvider.GetRequiredService<SmokeDbContext>();
                    // The database is this test's own: any row is the consumer's, and the key check below means something.
                    return await db.Rows.AsNoTracking().SingleOrDefaultAsync();
                },
                found => found is not null);

            Assert.Equal("hello", row!.Text);
            Assert.Equal(key, row.IdempotencyKey);
        }
        finally
        {
            await host.StopAsync();
        }
    }
}
