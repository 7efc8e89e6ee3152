using Inbox.MassTransit.Diagnostics;
using Inbox.MassTransit.Publishing;
using Inbox.Publishing;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers MassTransit as the publisher of accepted operations.</summary>
public static class InboxMassTransitBuilderExtensions
{
    /// <summary>
    /// Publishes accepted operations on the application's MassTransit bus (register the bus with
    /// <c>AddMassTransit</c>). Each message carries the Idempotency-Key, the scope, the operation id and its expiry
    /// as headers, and a MessageId derived from the operation id.
    /// </summary>
    public static IInboxBuilder UseMassTransit(this IInboxBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddSingleton<IOperationPublisher, MassTransitOperationPublisher>();
        builder.Services.TryAddSingleton<ConsumerMetrics>();
        return builder;
    }
}
