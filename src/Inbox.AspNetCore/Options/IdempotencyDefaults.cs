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

    /// <summary>30 seconds.</summary>
    public static readonly TimeSpan LeaseDuration = TimeSpan.FromSeconds(30);

    /// <summary>2 seconds.</summary>
    public static readonly TimeSpan LeaseSkewMargin = TimeSpan.FromSeconds(2);

    /// <summary>1 MiB.</summary>
    public const long MaxResponseSize = 1024 * 1024;

    /// <summary>
    /// The headers a synchronous response keeps for its replay: <c>Content-Type</c>, <c>Content-Language</c>,
    /// <c>Content-Disposition</c>, <c>Location</c>, <c>ETag</c>, <c>Last-Modified</c>, <c>Cache-Control</c>, <c>Expires</c>,
    /// <c>Vary</c>, <c>Link</c>, <c>Retry-After</c> and <c>Operation-Location</c>.
    /// </summary>
    public static IReadOnlyList<string> StoredResponseHeaders { get; } =
    [
        "Content-Type", "Content-Language", "Content-Disposition", "Location", "ETag", "Last-Modified", "Cache-Control",
        "Expires", "Vary", "Link", "Retry-After", OperationLocationHeaderName,
    ];

    /// <summary>
    /// Whether a synchronous response with <paramref name="statusCode"/> is stored by default: 2xx, and 4xx but
    /// 401, 403, 408, 409 and 429 (an answer a retry with the same body would get again). Never 1xx, 3xx or 5xx.
    /// </summary>
    public static bool StoresResponse(int statusCode) => statusCode switch
    {
        >= 200 and < 300 => true,
        401 or 403 or 408 or 409 or 429 => false,
        >= 400 and < 500 => true,
        _ => false,
    };
}
