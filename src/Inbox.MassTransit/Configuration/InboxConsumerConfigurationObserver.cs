using Inbox.Claims;
using Inbox.MassTransit.Consuming;
using Inbox.MassTransit.Diagnostics;
using Inbox.Stores;
using MassTransit;
using MassTransit.Configuration;
using MassTransit.DependencyInjection;
using MassTransit.RetryPolicies;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Inbox.MassTransit.Configuration;

/// <summary>
/// Gives every consumer configured after <c>UseIdempotentInbox</c> its inbox pipe, per message type:
/// failure recording, then the store's retry, then the handler's retry, then the inbox filter, then the consumer.
/// </summary>
internal sealed class InboxConsumerConfigurationObserver(IRegistrationContext context, IdempotentInboxOptions options)
    : IConsumerConfigurationObserver
{
    private readonly IConsumeScopeProvider _scopes = new ConsumeScopeProvider(context);

    public void ConsumerConfigured<TConsumer>(IConsumerConfigurator<TConsumer> configurator)
        where TConsumer : class
    {
    }

    public void ConsumerMessageConfigured<TConsumer, TMessage>(IConsumerMessageConfigurator<TConsumer, TMessage> configurator)
        where TConsumer : class
        where TMessage : class
    {
        if (configurator is not IConsumerMessageConfigurator<TMessage> messageConfigurator)
        {
            throw new ConfigurationException($"The idempotent inbox could not be added to {typeof(TConsumer).Name} for {typeof(TMessage).Name}.");
        }

        var settings = options.SettingsFor(typeof(TConsumer));
        var time = context.GetService<TimeProvider>() ?? TimeProvider.System;
        var metrics = context.GetService<ConsumerMetrics>() ?? throw new ConfigurationException(
            "Register the inbox's services with services.AddInbox() (or AddIdempotency) before configuring UseIdempotentInbox.");
        var loggerFactory = context.GetRequiredService<ILoggerFactory>();
        RequireRegistered(typeof(IInboxEntryStore), settings);
        if (settings.Mode != InboxMode.Leased)
        {
            RequireRegistered(typeof(IInboxUnitOfWork), settings);
        }

        var storeErrors = new StoreErrors(context.GetService<IStoreErrorClassifier>());
        messageConfigurator.UseFilter(new InboxFaultFilter<TMessage>(
            context.GetRequiredService<IServiceScopeFactory>(), settings, options, storeErrors, time, metrics, loggerFactory.CreateLogger<InboxFaultFilter<TMessage>>()));

        // The store's retry outside the handler's: a failover waits out its own window, and each of its attempts
        // runs the handler's retry afresh, which leaves the store's errors to it.
        var storeRetry = NewRetry<TMessage>();
        options.StoreRetry(storeRetry);
        storeRetry.Handle<Exception>(storeErrors.IsTransient);
        messageConfigurator.AddPipeSpecification(storeRetry);

        var retry = NewRetry<TMessage>();
        options.Retry(retry);
        retry.Ignore<OperationFailedException>();
        retry.Ignore<Exception>(storeErrors.IsTransient);
        messageConfigurator.AddPipeSpecification(retry);

        messageConfigurator.UseFilter(new InboxConsumeFilter<TMessage>(
            _scopes, settings, options, time, metrics, loggerFactory.CreateLogger<InboxConsumeFilter<TMessage>>()));
    }

    private static ConsumeContextRetryPipeSpecification<ConsumeContext<TMessage>, RetryConsumeContext<TMessage>> NewRetry<TMessage>()
        where TMessage : class =>
        new(static (consumeContext, policy, retryContext) => new RetryConsumeContext<TMessage>(consumeContext, policy, retryContext), CancellationToken.None);

    /// <summary>Fails at configuration, not at the first message, when no store provides what the consumer's mode needs.</summary>
    private void RequireRegistered(Type service, ConsumerInboxSettings settings)
    {
        if (context.GetService<IServiceProviderIsService>() is { } registered && !registered.IsService(service))
        {
            throw new ConfigurationException(
                $"{settings.Name} runs in InboxMode.{settings.Mode}, which needs an {service.Name}: register a store, for example " +
                "services.AddInbox().UseEntityFrameworkCore<TDbContext>(), before configuring UseIdempotentInbox.");
        }
    }
}
