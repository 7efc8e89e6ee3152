using System.Globalization;
using global::MassTransit;
using Inbox.Publishing;

namespace Inbox.MassTransit.Publishing;

/// <summary>Publishes accepted operations through MassTransit, stamped with their key, scope, operation id and expiry.</summary>
internal sealed class MassTransitOperationPublisher(IBus bus) : IOperationPublisher
{
    public async ValueTask PublishAsync(OperationPublication publication, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(publication);
        await bus.Publish(
            publication.Message,
            publication.MessageType,
            Pipe.Execute<PublishContext>(context => Stamp(context, publication)),
            cancellationToken).ConfigureAwait(false);
    }

    private static void Stamp(PublishContext context, OperationPublication publication)
    {
        context.MessageId = OperationMessageIds.For(publication.OperationId);
        context.Headers.Set(OperationHeaders.OperationId, publication.OperationId);
        context.Headers.Set(OperationHeaders.Tenant, publication.Scope.Tenant);
        context.Headers.Set(OperationHeaders.Endpoint, publication.Scope.Endpoint);
        context.Headers.Set(OperationHeaders.ExpiresAt, publication.ExpiresAt.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
        if (publication.IdempotencyKey is not null)
        {
            context.Headers.Set(OperationHeaders.IdempotencyKey, publication.IdempotencyKey);
        }
    }
}
