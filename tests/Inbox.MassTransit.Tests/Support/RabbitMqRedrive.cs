using Inbox.Testing;
using RabbitMQ.Client;

namespace Inbox.MassTransit.Tests.Support;

/// <summary>What an operator does with a failed message: move it from the error queue back to its queue.</summary>
public static class RabbitMqRedrive
{
    public sealed record Message(ReadOnlyMemory<byte> Body, BasicProperties Properties);

    /// <summary>Waits for <paramref name="expected"/> messages in <c>{queue}_error</c> and moves them back to <paramref name="queue"/>.</summary>
    public static async Task<IReadOnlyList<Message>> MoveErrorsBackAsync(RabbitMqVirtualHost rabbit, string queue, int expected)
    {
        await using var connection = await new ConnectionFactory { Uri = rabbit.AmqpUri }.CreateConnectionAsync();
        var channel = await connection.CreateChannelAsync();
        var moved = new List<Message>();
        await Eventually.TrueAsync($"{expected} message(s) in {queue}_error", async () =>
        {
            BasicGetResult? got;
            try
            {
                got = await channel.BasicGetAsync(queue + "_error", autoAck: false);
            }
            catch (RabbitMQ.Client.Exceptions.OperationInterruptedException missing) when (missing.ShutdownReason?.ReplyCode == 404)
            {
                // MassTransit declares the error queue when it moves the first faulted message there; the failure
                // may be recorded just before. The broker closed the channel: open another and look again.
                await channel.DisposeAsync();
                channel = await connection.CreateChannelAsync();
                return false;
            }

            if (got is not null)
            {
                var message = new Message(got.Body.ToArray(), new BasicProperties(got.BasicProperties));
                await channel.BasicPublishAsync("", queue, mandatory: true, message.Properties, message.Body);
                await channel.BasicAckAsync(got.DeliveryTag, multiple: false);
                moved.Add(message);
            }

            return moved.Count == expected;
        });

        await channel.DisposeAsync();
        return moved;
    }

    /// <summary>Sends the same messages to <paramref name="queue"/> again.</summary>
    public static async Task SendAgainAsync(RabbitMqVirtualHost rabbit, string queue, IEnumerable<Message> messages)
    {
        await using var connection = await new ConnectionFactory { Uri = rabbit.AmqpUri }.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        foreach (var message in messages)
        {
            await channel.BasicPublishAsync("", queue, mandatory: true, message.Properties, message.Body);
        }
    }
}
