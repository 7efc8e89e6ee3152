namespace Inbox.AspNetCore;

/// <summary>The key rules and retention of a group of endpoints.</summary>
public sealed class IdempotencyPolicy
{
    /// <summary>
    /// Whether a request must carry a key (<c>400 idempotency_key_required</c> otherwise). Default:
    /// <see langword="false"/>: a request without a key is processed without deduplication.
    /// </summary>
    public bool RequireKey { get; set; }

    /// <summary>Whether the key must be a UUID. Default: <see langword="false"/> (any 1 to 255 visible ASCII characters).</summary>
    public bool RequireUuid { get; set; }

    /// <summary>
    /// How long a key and its operation are remembered; after this the same key makes a new operation and the
    /// status endpoint answers 404. Default: 24 hours.
    /// </summary>
    public TimeSpan Retention { get; set; } = IdempotencyDefaults.Retention;

    /// <summary>
    /// Whether a key belongs to its endpoint (method and route pattern) as well as its tenant. Default:
    /// <see langword="true"/>: the same key on another endpoint is another operation. With <see langword="false"/> the
    /// endpoints of this policy share one key space per tenant (an API that keys on the caller and the key alone), so
    /// the same key sent to another of them is a reuse with another request (the fingerprint holds the method and route)
    /// and gets the mismatch. Logs and metrics still name the endpoint the request came to.
    /// </summary>
    public bool ScopeKeysByEndpoint { get; set; } = true;

    /// <summary>
    /// The mode of endpoints that set none (<c>WithIdempotency(mode)</c>, <c>[Idempotent(Mode = ...)]</c>). Default:
    /// <see cref="IdempotencyMode.Accept"/>.
    /// </summary>
    public IdempotencyMode Mode { get; set; } = IdempotencyMode.Accept;

    /// <summary>
    /// How long a leased synchronous request holds its key while the handler runs; after it (and
    /// <see cref="IdempotencyOptions.LeaseSkewMargin"/>) a retry runs the handler again. Set it above the handler's own
    /// timeout. Default: 30 seconds.
    /// </summary>
    public TimeSpan LeaseDuration { get; set; } = IdempotencyDefaults.LeaseDuration;

    /// <summary>
    /// Whether a transactional synchronous request with a key first reads its operation outside any transaction, so a
    /// replay costs one indexed read instead of a transaction begun and rolled back; a first request then pays that read
    /// as one more round trip. Default: <see langword="false"/> (see docs/benchmarks.md, accept-sync, for both).
    /// </summary>
    public bool ReadBeforeTransactionalClaim { get; set; }

    /// <summary>
    /// Which of a synchronous handler's status codes are stored and replayed; for the others the claim is released
    /// (leased) or rolled back with the handler's writes (transactional), so the next retry runs the handler again.
    /// An exception is never stored. Default: <see cref="IdempotencyDefaults.StoresResponse"/>: 2xx, and the 4xx a retry
    /// would get again, that is all but 401, 403, 408, 409 and 429.
    /// </summary>
    public Func<int, bool> StoresResponse { get; set; } = IdempotencyDefaults.StoresResponse;

    /// <summary>
    /// Rewrites the errors Inbox answers on this policy's endpoints (their status, code, message or type), so an API
    /// can keep the codes its clients already know, e.g. <c>CONFLICT</c> for a reused key, or word a key rule its own
    /// way (<see cref="InboxError.KeyRule"/>). It sees every error Inbox writes for the endpoint: invalid or missing
    /// keys, bodies too large, mismatches, keys in use and an unavailable store. Return the error unchanged for the
    /// others. Default: <see langword="null"/> (Inbox's own codes, <see cref="InboxErrorCodes"/>).
    /// </summary>
    public Func<InboxError, InboxError>? MapError { get; set; }
}
