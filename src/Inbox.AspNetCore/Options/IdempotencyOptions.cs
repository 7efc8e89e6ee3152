namespace Inbox.AspNetCore;

/// <summary>Options of the idempotent submission API. Every property documents its default.</summary>
public sealed class IdempotencyOptions
{
    private readonly Dictionary<string, IdempotencyPolicy> _policies = new(StringComparer.Ordinal);

    /// <summary>The key header. Default: <c>Idempotency-Key</c>.</summary>
    public string HeaderName { get; set; } = IdempotencyDefaults.HeaderName;

    /// <summary>
    /// A second name for the same key. Default: <c>X-Idempotency-Key</c>. A key sent under one name replays under
    /// the other; both present with different values is a 400. <see langword="null"/> turns the alias off.
    /// </summary>
    public string? AlternateHeaderName { get; set; } = IdempotencyDefaults.AlternateHeaderName;

    /// <summary>The policy of endpoints that name none.</summary>
    public IdempotencyPolicy DefaultPolicy { get; } = new();

    /// <summary>The named policies.</summary>
    public IReadOnlyDictionary<string, IdempotencyPolicy> Policies => _policies;

    /// <summary>
    /// The largest body an opted-in request may have; larger ones get <c>413 request_body_too_large</c> and store
    /// nothing. The body is buffered to fingerprint it. Default: 1 MiB.
    /// </summary>
    public long MaxBodySize { get; set; } = IdempotencyDefaults.MaxBodySize;

    /// <summary>
    /// How long a request waits on another request accepting the same key before it gets
    /// <c>409 idempotency_key_in_use</c>. A request without a key, and any request on SQLite (whose one write lock
    /// cannot tell this key's first request from another writer), gets <c>503 service_unavailable</c> instead.
    /// Default: 10 seconds.
    /// </summary>
    public TimeSpan InUseTimeout { get; set; } = IdempotencyDefaults.InUseTimeout;

    /// <summary>
    /// How long the first request waits for the broker to take its message before it answers 202 anyway and
    /// leaves the message to the relay. Default: 5 seconds.
    /// </summary>
    public TimeSpan PublishTimeout { get; set; } = IdempotencyDefaults.PublishTimeout;

    /// <summary>
    /// Whether a first acceptance's 202 waits only for its commit (<see cref="PublishTiming.AfterResponse"/>, the default:
    /// an in-process dispatcher publishes it right after, and the relay stays the safety net) or for its publish too
    /// (<see cref="PublishTiming.BeforeResponse"/>). Either way the 202 follows the commit.
    /// </summary>
    public PublishTiming PublishTiming { get; set; } = PublishTiming.AfterResponse;

    /// <summary>The <c>Retry-After</c> of acceptances, unfinished operations and <c>idempotency_key_in_use</c>. Default: 1 second.</summary>
    public TimeSpan RetryAfter { get; set; } = IdempotencyDefaults.RetryAfter;

    /// <summary>
    /// The status of a retry whose body differs from the first request's (<c>idempotency_key_mismatched_body</c>).
    /// Default: 409; the IETF draft uses 422.
    /// </summary>
    public int MismatchStatusCode { get; set; } = IdempotencyDefaults.MismatchStatusCode;

    /// <summary>
    /// The largest synchronous response stored for replay; a larger one is still sent, but not stored, and its key is
    /// released (a warning names the endpoint). The response is buffered up to this size before it is sent. Default: 1 MiB.
    /// </summary>
    public long MaxResponseSize { get; set; } = IdempotencyDefaults.MaxResponseSize;

    /// <summary>
    /// The response headers a synchronous response keeps for its replay (compared ignoring case); the others are sent
    /// the first time only. Default: <see cref="IdempotencyDefaults.StoredResponseHeaders"/>.
    /// </summary>
    public ISet<string> StoredResponseHeaders { get; } = new HashSet<string>(IdempotencyDefaults.StoredResponseHeaders, StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// The clock skew allowed between instances for leased synchronous requests: a lease is taken over only this long
    /// after it expired by the taker's clock. Default: 2 seconds.
    /// </summary>
    public TimeSpan LeaseSkewMargin { get; set; } = IdempotencyDefaults.LeaseSkewMargin;

    /// <summary>The body shape. Default: <see cref="ResponseFormat.Envelope"/>. Register an <see cref="IInboxResponseWriter"/> for another.</summary>
    public ResponseFormat ResponseFormat { get; set; } = ResponseFormat.Envelope;

    /// <summary>Adds or changes the policy named <paramref name="name"/>.</summary>
    public IdempotencyOptions AddPolicy(string name, Action<IdempotencyPolicy> configure)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(configure);
        if (!_policies.TryGetValue(name, out var policy))
        {
            policy = new IdempotencyPolicy();
            _policies.Add(name, policy);
        }

        configure(policy);
        return this;
    }

    internal IdempotencyPolicy GetPolicy(string? name)
    {
        if (name is null)
        {
            return DefaultPolicy;
        }

        return _policies.TryGetValue(name, out var policy)
            ? policy
            : throw new InvalidOperationException(
                $"An endpoint asks for the idempotency policy '{name}', which is not defined: add it with options.AddPolicy(\"{name}\", ...).");
    }
}
