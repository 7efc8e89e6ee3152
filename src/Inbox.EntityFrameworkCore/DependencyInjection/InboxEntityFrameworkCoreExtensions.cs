using Inbox.Background;
using Inbox.Claims;
using Inbox.EntityFrameworkCore.Inbox;
using Inbox.EntityFrameworkCore.Stores;
using Inbox.EntityFrameworkCore.Stores.GroupCommit;
using Inbox.Stores;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the EF Core stores, the publish relay and the retention sweeper.</summary>
public static class InboxEntityFrameworkCoreExtensions
{
    /// <summary>
    /// Stores operations and the consumer inbox's entries in <typeparamref name="TDbContext"/>, which must be
    /// registered (<c>AddDbContext</c>) and call <c>modelBuilder.AddInbox()</c>, and runs transactional consumers
    /// inside its transactions (<see cref="IInboxUnitOfWork"/>), and claims synchronous requests' operations, leased
    /// (<see cref="IOperationClaimStore"/>) or in one transaction with the handler's writes (<see cref="IOperationUnitOfWork"/>), reads and redrives them for the operations console (<see cref="IOperationConsoleStore"/>, <see cref="IOperationConsoleActionStore"/>) and reads them for the health check (<see cref="IOperationHealthStore"/>). Also runs the relay and the sweeper as a hosted service.
    /// </summary>
    public static IInboxBuilder UseEntityFrameworkCore<TDbContext>(
        this IInboxBuilder builder, Action<InboxStoreOptions>? configure = null)
        where TDbContext : DbContext
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.TryAddScoped<EntityFrameworkOperationStore<TDbContext>>();
        services.TryAddSingleton<AcceptBatcher<TDbContext>>();
        services.TryAddSingleton<AcceptBatchMetrics>();
        services.TryAddSingleton<IStoreErrorClassifier, EntityFrameworkStoreErrorClassifier>();
        services.TryAddScoped<IOperationStore>(sp => sp.GetRequiredService<EntityFrameworkOperationStore<TDbContext>>());
        services.TryAddScoped<IOperationRelayStore>(sp => sp.GetRequiredService<EntityFrameworkOperationStore<TDbContext>>());
        services.TryAddScoped<IRetentionStore>(sp => sp.GetRequiredService<EntityFrameworkOperationStore<TDbContext>>());
        services.TryAddScoped<IInboxEntryStore, EntityFrameworkInboxEntryStore<TDbContext>>();
        services.TryAddScoped<IInboxUnitOfWork, EntityFrameworkInboxUnitOfWork<TDbContext>>();
        services.TryAddScoped<IOperationClaimStore, EntityFrameworkOperationClaimStore<TDbContext>>();
        services.TryAddScoped<IOperationUnitOfWork, EntityFrameworkOperationUnitOfWork<TDbContext>>();
        services.TryAddScoped<IOperationConsoleStore, EntityFrameworkOperationConsoleStore<TDbContext>>();
        services.TryAddScoped<IOperationHealthStore, EntityFrameworkOperationHealthStore<TDbContext>>();
        services.TryAddScoped<IOperationConsoleActionStore, EntityFrameworkOperationConsoleActionStore<TDbContext>>();
        builder.AddRelayAndSweeper(configure);
        return builder;
    }
}
