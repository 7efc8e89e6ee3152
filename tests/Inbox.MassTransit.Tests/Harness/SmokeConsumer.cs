using MassTransit;

namespace Inbox.MassTransit.Tests.Harness;

public sealed record SmokeMessage(string Text);

public sealed class SmokeConsumer(SmokeDbContext db) : IConsumer<SmokeMessage>
{
    public async Task Consume(ConsumeContext<SmokeMessage> context)
    {
        var key = context.Headers.Get<string>("Idempotency-Key")
            ?? throw new InvalidOperationException("The message carries no Idempotency-Key header.");

        await using var transaction = await db.Database.BeginTransactionAsync(context.CancellationToken);
        db.Rows.Add(new SmokeRow { IdempotencyKey = key, Text = context.Message.Text });
        await db.SaveChangesAsync(context.CancellationToken);
        await transaction.CommitAsync(context.CancellationToken);
    }
}
