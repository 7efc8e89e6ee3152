namespace Inbox.AspNetCore;

/// <summary>The defaults of <see cref="IdempotencyOptions"/> and <see cref="IdempotencyPolicy"/>.</summary>
public static class IdempotencyDefaults
{
    /// <summary><c>Idempotency-Key</c>.</summary>
    public const string HeaderName = "Idempotency-Key";

    /// <summary><c>X-Idempotency-Key</c>.</summary>
    public const string AlternateHeaderName = "X-Idempotency-Key";

    /// <summary>The header added to a replayed acceptance: <c>Idempotent-Replayed: true</c>.</summary>
    public const string ReplayedHeaderName = "Idempotent-Replayed";

    /// <summary>The header naming the status URL besides <c>Location</c>.</summary>
    public const string OperationLocationHeaderName = "Operation-Location";

    /// <summary>24 hours.</summary>
    public static readonly TimeSpan Retention = TimeSpan.FromHours(24);

    /// <summary>1 MiB.</summary>
    public const long MaxBodySize = 1024 * 1024;

    /// <summary>10 seconds.</summary>
    public static readonly TimeSpan InUseTimeout = TimeSpan.FromSeconds(10);

    /// <summary>5 seconds.</summary>
    public static readonly TimeSpan PublishTimeout = TimeSpan.FromSeconds(5);

    /// <summary>1 second.</summary>
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(1);

    /// <summary>409 Conflict.</summary>
    public const int MismatchStatusCode = 409;
}
