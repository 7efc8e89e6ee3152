using System.Text.Json;
using Inbox.MassTransit.Consuming;
using Inbox.Stores;
using MassTransit;

namespace Inbox.MassTransit;

/// <summary>Options of <c>UseIdempotentInbox</c>. Every property documents its default.</summary>
public sealed class IdempotentInboxOptions
{
    private readonly Dictionary<Type, ConsumerInboxSettings> _consumers = [];

    /// <summary>The mode of consumers that neither carry <see cref="IdempotentConsumerAttribute"/> nor are set with <see cref="Consumer{TConsumer}"/>. Default: <see cref="InboxMode.Transactional"/>.</summary>
    public InboxMode DefaultMode { get; set; } = InboxMode.Transactional;

    /// <summary>
    /// How long a leased claim holds a message while its effect runs; set it above the effect's own timeout.
    /// Default: 30 seconds.
    /// </summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The clock skew allowed between instances: a lease is taken over only this long after it expired by the
    /// taker's clock. All instances judge leases with their application clock. Default: 2 seconds.
    /// </summary>
    public TimeSpan LeaseSkewMargin { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How long a delivery that finds a live lease waits for it to end or expire before it gives up (and is retried).
    /// Default: <see cref="LeaseDuration"/> plus <see cref="LeaseSkewMargin"/> plus 5 seconds.
    /// </summary>
    public TimeSpan? LeaseWaitLimit { get; set; }

    /// <summary>
    /// How long an inbox entry outlives its operation, so late redeliveries are still recognised. Default: 1 hour.
    /// </summary>
    public TimeSpan RetentionGrace { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long entries of messages that carry no operation expiry are kept (before the grace). Default: 24 hours.</summary>
    public TimeSpan DefaultRetention { get; set; } = TimeSpan.FromHours(24);

    /// <summary>
    /// The retry of each consumer, inside the failure recording and around the inbox, so each attempt is a fresh
    /// transaction. Default: intervals of 100 ms, 500 ms, 1 s and 2 s. Configure retries here rather than with
    /// <c>UseMessageRetry</c> on the same endpoint. <see cref="OperationFailedException"/> is never retried.
    /// </summary>
    public Action<IRetryConfigurator> Retry { get; set; } = static retry => retry.Intervals(100, 500, 1000, 2000);

    /// <summary>
    /// The retry of a consumer whose store cannot answer for now (a database failover or restart, a lost connection,
    /// a deadlock: what the store's <see cref="IStoreErrorClassifier"/> calls transient), outside <see cref="Retry"/>,
    /// which does not see these errors. Default: intervals of 250 ms, 500 ms, 1, 2, 4, 8, 15 and 30 s, about a
    /// minute: longer than a PostgreSQL promotion and Npgsql's recheck of the hosts' roles (10 s by default). When
    /// these are exhausted too, no failure is recorded (a failover is not the operation's failure): the message goes
    /// to the error queue, and the relay republishes the operation, which is still unfinished.
    /// </summary>
    public Action<IRetryConfigurator> StoreRetry { get; set; } = static retry => retry.Intervals(250, 500, 1000, 2000, 4000, 8000, 15000, 30000);

    /// <summary>How consumers' results are serialized for the status endpoint. Default: System.Text.Json web defaults.</summary>
    public JsonSerializerOptions ResultSerializerOptions { get; set; } = new(JsonSerializerDefaults.Web);

    /// <summary>Sets how <typeparamref name="TConsumer"/> runs behind the inbox, overriding its attribute.</summary>
    public IdempotentInboxOptions Consumer<TConsumer>(InboxMode mode, bool completesOperation = true, string? name = null)
        where TConsumer : class
    {
        _consumers[typeof(TConsumer)] = new ConsumerInboxSettings(name ?? InboxNames.Of(typeof(TConsumer)), mode, completesOperation);
        return this;
    }

    internal TimeSpan EffectiveLeaseWaitLimit => LeaseWaitLimit ?? LeaseDuration + LeaseSkewMargin + TimeSpan.FromSeconds(5);

    internal ConsumerInboxSettings SettingsFor(Type consumer)
    {
        if (_consumers.TryGetValue(consumer, out var configured))
        {
            return configured;
        }

        var attribute = (IdempotentConsumerAttribute?)Attribute.GetCustomAttribute(consumer, typeof(IdempotentConsumerAttribute));
        if (attribute is null)
        {
            return new ConsumerInboxSettings(InboxNames.Of(consumer), DefaultMode, CompletesOperation: true);
        }

        var settings = new ConsumerInboxSettings(attribute.Name ?? InboxNames.Of(consumer), attribute.Mode, attribute.CompletesOperation);
        if (settings.Validate().FirstOrDefault() is { } error)
        {
            // Found while the endpoint is configured, so the host fails at start rather than at the first message.
            throw new ConfigurationException($"[IdempotentConsumer] on {consumer.FullName}: {error}");
        }

        return settings;
    }

    internal IEnumerable<string> Validate()
    {
        if (LeaseDuration <= TimeSpan.Zero)
        {
            yield return $"IdempotentInboxOptions.LeaseDuration must be greater than zero; it is {LeaseDuration}.";
        }

        if (LeaseSkewMargin < TimeSpan.Zero)
        {
            yield return $"IdempotentInboxOptions.LeaseSkewMargin must not be negative; it is {LeaseSkewMargin}.";
        }

        if (EffectiveLeaseWaitLimit <= TimeSpan.Zero)
        {
            yield return $"IdempotentInboxOptions.LeaseWaitLimit must be greater than zero; it is {EffectiveLeaseWaitLimit}.";
        }

        if (RetentionGrace < TimeSpan.Zero)
        {
            yield return $"IdempotentInboxOptions.RetentionGrace must not be negative; it is {RetentionGrace}.";
        }

        if (DefaultRetention <= TimeSpan.Zero)
        {
            yield return $"IdempotentInboxOptions.DefaultRetention must be greater than zero; it is {DefaultRetention}.";
        }

        if (Retry is null || StoreRetry is null)
        {
            yield return "IdempotentInboxOptions.Retry and StoreRetry must be set; configure no retries with retry => retry.None().";
        }

        foreach (var settings in _consumers.Values)
        {
            foreach (var error in settings.Validate())
            {
                yield return error;
            }
        }
    }
}
