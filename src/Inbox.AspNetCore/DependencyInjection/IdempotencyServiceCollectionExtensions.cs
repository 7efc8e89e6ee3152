using Inbox.AspNetCore;
using Inbox.AspNetCore.Accepting;
using Inbox.AspNetCore.Diagnostics;
using Inbox.AspNetCore.Responses;
using Inbox.AspNetCore.Status;
using Inbox.AspNetCore.Synchronous;
using Inbox.AspNetCore.Tenancy;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the idempotent submission API.</summary>
public static class IdempotencyServiceCollectionExtensions
{
    /// <summary>
    /// Registers the services behind <c>app.UseIdempotency()</c>, <c>WithIdempotency()</c> (accepted and synchronous endpoints), <c>InboxResults.Accept</c>
    /// and <c>MapOperationStatus</c>. Options are validated at start-up, and so is every message type an endpoint names
    /// (<c>Publishes(typeof(TMessage))</c>, or a handler returning <c>AcceptedOperation&lt;TMessage&gt;</c>). Add a store
    /// (<c>.UseEntityFrameworkCore&lt;TDbContext&gt;()</c>) and a publisher (<c>.UseMassTransit()</c>) on the returned builder.
    /// </summary>
    public static IInboxBuilder AddIdempotency(this IServiceCollection services, Action<IdempotencyOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var builder = services.AddInbox();
        var options = services.AddOptions<IdempotencyOptions>().ValidateOnStart();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.AddOptions<TenantOptions>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<IdempotencyOptions>, IdempotencyOptionsValidator>());
        services.TryAddSingleton<IInboxResponseWriter>(sp =>
            sp.GetRequiredService<IOptions<IdempotencyOptions>>().Value.ResponseFormat == ResponseFormat.ProblemDetails
                ? new ProblemDetailsResponseWriter()
                : new EnvelopeResponseWriter());
        services.TryAddSingleton<ITenantResolver, ClaimTenantResolver>();
        services.TryAddSingleton<HttpMetrics>();
        services.TryAddSingleton<ConsoleMetrics>();
        if (!services.Any(service => service.ServiceType == typeof(AcceptancePublisher)))
        {
            services.AddSingleton<AcceptancePublisher>();
            services.AddHostedService(sp => sp.GetRequiredService<AcceptancePublisher>());
        }

        services.TryAddSingleton<OperationAcceptor>();
        services.TryAddSingleton<SynchronousRequests>();
        services.TryAddSingleton<OperationStatusEndpoint>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IStartupFilter, MessageTypeStartupCheck>());
        return builder;
    }
}
