using Inbox.MassTransit;
using Inbox.MassTransit.Configuration;

namespace MassTransit;

/// <summary>Puts consumers behind the idempotent inbox.</summary>
public static class IdempotentInboxConfigurationExtensions
{
    /// <summary>
    /// Runs every consumer configured after this call (on the bus, or on this endpoint) behind the idempotent inbox
    /// of the registered store (<c>services.AddInbox().UseEntityFrameworkCore&lt;TDbContext&gt;()</c>), in the mode its
    /// <see cref="IdempotentConsumerAttribute"/> or the options choose. Each consumer gets the inbox's retry (configure
    /// it in the options, not with <c>UseMessageRetry</c>), and a failure record when the retries are exhausted. Call
    /// it before <c>ConfigureEndpoints</c>.
    /// </summary>
    public static void UseIdempotentInbox(
        this IConsumePipeConfigurator configurator, IRegistrationContext context, Action<IdempotentInboxOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(configurator);
        ArgumentNullException.ThrowIfNull(context);
        var options = new IdempotentInboxOptions();
        configure?.Invoke(options);
        var errors = options.Validate().ToList();
        if (errors.Count > 0)
        {
            throw new ConfigurationException(string.Join(Environment.NewLine, errors));
        }

        configurator.ConnectConsumerConfigurationObserver(new InboxConsumerConfigurationObserver(context, options));
    }

    /// <summary>
    /// <see cref="UseIdempotentInbox(IConsumePipeConfigurator, IRegistrationContext, Action{IdempotentInboxOptions})"/>: the
    /// store now comes from the registration (<c>UseEntityFrameworkCore&lt;TDbContext&gt;()</c>), so the type argument
    /// is not needed.
    /// </summary>
    [Obsolete("The store comes from services.AddInbox().UseEntityFrameworkCore<TDbContext>(): call UseIdempotentInbox(context) without a type argument.")]
    public static void UseIdempotentInbox<TDbContext>(
        this IConsumePipeConfigurator configurator, IRegistrationContext context, Action<IdempotentInboxOptions>? configure = null)
        where TDbContext : class =>
        configurator.UseIdempotentInbox(context, configure);
}
