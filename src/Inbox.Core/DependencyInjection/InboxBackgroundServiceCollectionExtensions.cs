using Inbox.Background;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the publish relay and the retention sweeper over the registered store.</summary>
public static class InboxBackgroundServiceCollectionExtensions
{
    /// <summary>
    /// Runs the relay (republishes operations still accepted after their relay time, backing off per operation) and
    /// the sweeper (deletes expired operations and inbox entries in batches) as a hosted service, over the store's
    /// <see cref="Inbox.Stores.IOperationRelayStore"/> and <see cref="Inbox.Stores.IRetentionStore"/> and the
    /// registered <see cref="Inbox.Publishing.IOperationPublisher"/>. Store packages call it (the EF Core one from
    /// <c>UseEntityFrameworkCore</c>); a store of your own calls it after registering those services. Options are
    /// validated at start-up; calling it again adds <paramref name="configure"/> to the options.
    /// </summary>
    public static IInboxBuilder AddRelayAndSweeper(this IInboxBuilder builder, Action<InboxStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        var options = services.AddOptions<InboxStoreOptions>().ValidateOnStart();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<InboxStoreOptions>, InboxStoreOptionsValidator>());
        services.TryAddSingleton<StoreMetrics>();
        services.TryAddSingleton<OperationRelay>();
        services.TryAddSingleton<RetentionSweeper>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Hosting.IHostedService, InboxBackgroundService>());
        return builder;
    }
}
