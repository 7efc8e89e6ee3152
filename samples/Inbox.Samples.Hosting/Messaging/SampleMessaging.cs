using Inbox.MassTransit;
using Inbox.Samples.Data;
using Inbox.Samples.Hosting.Consumers;
using MassTransit;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Inbox.Samples.Hosting;

/// <summary>The transports the samples run on.</summary>
public enum SampleTransport
{
    /// <summary>MassTransit's in-memory transport: API and worker in one process. The embedded default.</summary>
    InMemory,

    /// <summary>RabbitMQ with quorum queues: API and workers as separate processes.</summary>
    RabbitMq,
}

/// <summary>
/// The bus from configuration: <c>Messaging:Transport</c> (<c>InMemory</c> or <c>RabbitMq</c>) and
/// <c>ConnectionStrings:RabbitMq</c> (an AMQP URI, or several separated by commas for a cluster's nodes). With <c>consume</c> the three consumers run
/// behind the idempotent inbox.
/// </summary>
public static class SampleMessaging
{
    public static SampleTransport TransportFrom(IConfiguration configuration) =>
        Enum.TryParse<SampleTransport>(configuration["Messaging:Transport"], ignoreCase: true, out var transport)
            ? transport
            : configuration["Messaging:Transport"] is { Length: > 0 } unknown
                ? throw new InvalidOperationException($"Messaging:Transport '{unknown}' is not one of InMemory, RabbitMq.")
                : SampleTransport.InMemory;

    public static IServiceCollection AddSampleMessaging(this IServiceCollection services, IConfiguration configuration, bool consume)
    {
        var transport = TransportFrom(configuration);
        var leaseSeconds = configuration.GetValue("Inbox:LeaseSeconds", 30);
        void Inbox(IdempotentInboxOptions options) => options.LeaseDuration = TimeSpan.FromSeconds(leaseSeconds);

        services.AddMassTransit(bus =>
        {
            // MassTransit 8.4+ reports anonymous usage to masstransit.io by default; a sample that handles patient
            // data sends nothing anywhere unasked (Messaging:UsageTelemetry=true turns it back on).
            bus.ConfigureUsageTelemetryOptions(options => options.Enabled = configuration.GetValue("Messaging:UsageTelemetry", false));
            bus.SetKebabCaseEndpointNameFormatter();
            if (consume)
            {
                bus.AddConsumer<ClaimSubmissionConsumer>();
                bus.AddConsumer<WebhookEventConsumer>();
                bus.AddConsumer<LetterConsumer>();
            }

            if (transport == SampleTransport.RabbitMq)
            {
                // One AMQP URI, or several separated by commas: the nodes of one RabbitMQ cluster. The first gives the
                // credentials and virtual host; MassTransit connects to any node that answers (UseCluster).
                var uris = configuration.GetConnectionString("RabbitMq") is { Length: > 0 } value
                    ? value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(static node => new Uri(node)).ToArray()
                    : throw new InvalidOperationException("Messaging:Transport is RabbitMq: set ConnectionStrings:RabbitMq (ConnectionStrings__RabbitMq), e.g. amqp://guest:guest@localhost:5672/.");
                // Messaging:QuorumSize (e.g. 3) declares the quorum queues with that many members; unset, the broker's
                // quorum_cluster_size decides.
                var quorumSize = configuration.GetValue<int?>("Messaging:QuorumSize");
                // Messaging:PrefetchCount and Messaging:ConcurrentMessageLimit set each receive endpoint's prefetch and
                // how many messages it runs at once; unset, MassTransit's defaults (prefetch 16 on two cores, limit = prefetch).
                var prefetch = configuration.GetValue<int?>("Messaging:PrefetchCount");
                var concurrency = configuration.GetValue<int?>("Messaging:ConcurrentMessageLimit");
                bus.AddConfigureEndpointsCallback((_, endpoint) =>
                {
                    if (concurrency is { } limit)
                    {
                        endpoint.ConcurrentMessageLimit = limit;
                    }

                    if (endpoint is IRabbitMqReceiveEndpointConfigurator rabbit)
                    {
                        if (prefetch is { } count)
                        {
                            rabbit.PrefetchCount = count;
                        }

                        if (quorumSize is { } size)
                        {
                            rabbit.SetQuorumQueue(size);
                        }
                        else
                        {
                            rabbit.SetQuorumQueue();
                        }
                    }
                });
                bus.UsingRabbitMq((context, cfg) =>
                {
                    if (uris.Length == 1)
                    {
                        cfg.Host(uris[0]);
                    }
                    else
                    {
                        cfg.Host(uris[0], h => h.UseCluster(cluster =>
                        {
                            foreach (var node in uris)
                            {
                                cluster.Node($"{node.Host}:{node.Port}");
                            }
                        }));
                    }

                    if (consume)
                    {
                        cfg.UseIdempotentInbox(context, Inbox);
                    }

                    cfg.ConfigureEndpoints(context);
                });
            }
            else
            {
                bus.UsingInMemory((context, cfg) =>
                {
                    if (consume)
                    {
                        cfg.UseIdempotentInbox(context, Inbox);
                    }

                    cfg.ConfigureEndpoints(context);
                });
            }
        });

        // The consumers call downstream, and so does the API's synchronous eligibility check.
        services.TryAddSingleton<Downstream>();
        services.AddHttpClient(Downstream.HttpClientName, client => client.Timeout = TimeSpan.FromSeconds(configuration.GetValue("Downstream:TimeoutSeconds", 10)));
        return services;
    }
}
