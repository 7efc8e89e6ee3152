using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers Inbox's core services.</summary>
public static class InboxServiceCollectionExtensions
{
    /// <summary>
    /// Registers what every Inbox part needs (the clock and metrics) and returns a builder for the store,
    /// HTTP and MassTransit parts. Safe to call more than once.
    /// </summary>
    public static IInboxBuilder AddInbox(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        return new InboxBuilder(services);
    }

    private sealed class InboxBuilder(IServiceCollection services) : IInboxBuilder
    {
        public IServiceCollection Services { get; } = services;
    }
}
