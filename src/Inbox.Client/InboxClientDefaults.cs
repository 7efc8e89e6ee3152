namespace Inbox.Client;

/// <summary>The defaults of every <c>Inbox.Client</c> option, in one place.</summary>
public static class InboxClientDefaults
{
    /// <summary>The key header: <c>Idempotency-Key</c>.</summary>
    public const string HeaderName = IdempotencyHeaders.IdempotencyKey;

    /// <summary>Retries after the first attempt: 5, so six attempts in all.</summary>
    public const int MaxRetryAttempts = 5;

    /// <summary>The first backoff delay, doubled on every retry (<c>min(MaxDelay, BaseDelay · 2ⁿ)</c>): 1 second.</summary>
    public static readonly TimeSpan BaseDelay = TimeSpan.FromSeconds(1);

    /// <summary>The longest backoff delay: 60 seconds.</summary>
    public static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(60);

    /// <summary>The jitter around each backoff delay, as a fraction of it: 0.2 (±20%).</summary>
    public const double JitterFactor = 0.2;

    /// <summary>The longest <c>Retry-After</c> honoured; a longer one waits this long: 60 seconds.</summary>
    public static readonly TimeSpan MaxRetryAfter = TimeSpan.FromSeconds(60);

    /// <summary>
    /// The time one logical send may take, every attempt and backoff included: 90 seconds (the standard handler's
    /// 30 seconds would cut the default backoff short; this stays inside <c>HttpClient.Timeout</c>'s 100 seconds).
    /// </summary>
    public static readonly TimeSpan TotalRequestTimeout = TimeSpan.FromSeconds(90);

    /// <summary>The pause between two status reads when the server sends no <c>Retry-After</c>: 1 second.</summary>
    public static readonly TimeSpan PollingInterval = TimeSpan.FromSeconds(1);

    /// <summary>The shortest pause between two status reads, whatever <c>Retry-After</c> says: 250 milliseconds.</summary>
    public static readonly TimeSpan MinPollingInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>The longest pause between two status reads, whatever <c>Retry-After</c> says: 30 seconds.</summary>
    public static readonly TimeSpan MaxPollingInterval = TimeSpan.FromSeconds(30);
}
