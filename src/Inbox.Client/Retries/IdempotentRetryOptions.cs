namespace Inbox.Client;

/// <summary>
/// The retry of <c>AddIdempotentResilienceHandler()</c>. It retries transport errors, attempt timeouts, 408, 429, 5xx and
/// <c>409 idempotency_key_in_use</c>, and never a request with an unsafe method and no key, a
/// <c>409 idempotency_key_mismatched_body</c>, a 422 or another 4xx.
/// </summary>
public sealed class IdempotentRetryOptions
{
    /// <summary>Retries after the first attempt. Default: <see cref="InboxClientDefaults.MaxRetryAttempts"/> (5).</summary>
    public int MaxRetryAttempts { get; set; } = InboxClientDefaults.MaxRetryAttempts;

    /// <summary>The first backoff delay, doubled per retry. Default: <see cref="InboxClientDefaults.BaseDelay"/> (1 s).</summary>
    public TimeSpan BaseDelay { get; set; } = InboxClientDefaults.BaseDelay;

    /// <summary>The longest backoff delay. Default: <see cref="InboxClientDefaults.MaxDelay"/> (60 s).</summary>
    public TimeSpan MaxDelay { get; set; } = InboxClientDefaults.MaxDelay;

    /// <summary>The jitter, a fraction of the delay in [0, 1]. Default: <see cref="InboxClientDefaults.JitterFactor"/> (0.2, ±20%).</summary>
    public double JitterFactor { get; set; } = InboxClientDefaults.JitterFactor;

    /// <summary>
    /// The longest server <c>Retry-After</c> honoured as given; a longer one waits this long. Default:
    /// <see cref="InboxClientDefaults.MaxRetryAfter"/> (60 s). A <c>Retry-After</c> replaces the backoff delay.
    /// </summary>
    public TimeSpan MaxRetryAfter { get; set; } = InboxClientDefaults.MaxRetryAfter;

    /// <summary>
    /// The time one logical send may take, all attempts and waits included (the standard handler's total timeout).
    /// Default: <see cref="InboxClientDefaults.TotalRequestTimeout"/> (90 s).
    /// </summary>
    public TimeSpan TotalRequestTimeout { get; set; } = InboxClientDefaults.TotalRequestTimeout;

    /// <summary>Uniform in [0, 1); tests fix it.</summary>
    internal Func<double> Random { get; set; } = System.Random.Shared.NextDouble;

    /// <summary>Every broken rule, so one exception names them all.</summary>
    internal IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (MaxRetryAttempts is < 0 or > 100)
        {
            errors.Add($"IdempotentRetryOptions.MaxRetryAttempts must be between 0 and 100; it is {MaxRetryAttempts}.");
        }

        Positive(errors, nameof(BaseDelay), BaseDelay);
        Positive(errors, nameof(MaxDelay), MaxDelay);
        Positive(errors, nameof(MaxRetryAfter), MaxRetryAfter);
        Positive(errors, nameof(TotalRequestTimeout), TotalRequestTimeout);
        if (MaxDelay < BaseDelay)
        {
            errors.Add($"IdempotentRetryOptions.MaxDelay ({MaxDelay}) must not be shorter than BaseDelay ({BaseDelay}).");
        }

        if (double.IsNaN(JitterFactor) || JitterFactor is < 0 or > 1)
        {
            errors.Add($"IdempotentRetryOptions.JitterFactor must be between 0 and 1; it is {JitterFactor.ToString(System.Globalization.CultureInfo.InvariantCulture)}.");
        }

        return errors;
    }

    private static void Positive(List<string> errors, string name, TimeSpan value)
    {
        if (value <= TimeSpan.Zero)
        {
            errors.Add($"IdempotentRetryOptions.{name} must be positive; it is {value}.");
        }
    }
}
