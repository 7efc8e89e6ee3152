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
}
