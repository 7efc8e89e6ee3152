using System.Text.Json;

namespace Inbox.Client;

/// <summary>How an <see cref="InboxClient"/> submits and polls.</summary>
public sealed class InboxClientOptions
{
    /// <summary>
    /// The header a submission's key is sent in when the request has none: <c>Idempotency-Key</c> or
    /// <c>X-Idempotency-Key</c>. Default: <see cref="InboxClientDefaults.HeaderName"/>.
    /// </summary>
    public string HeaderName { get; set; } = InboxClientDefaults.HeaderName;

    /// <summary>The pause between status reads when the server sends no <c>Retry-After</c>. Default: <see cref="InboxClientDefaults.PollingInterval"/> (1 s).</summary>
    public TimeSpan PollingInterval { get; set; } = InboxClientDefaults.PollingInterval;

    /// <summary>The floor of the pause between status reads. Default: <see cref="InboxClientDefaults.MinPollingInterval"/> (250 ms).</summary>
    public TimeSpan MinPollingInterval { get; set; } = InboxClientDefaults.MinPollingInterval;

    /// <summary>The cap of the pause between status reads. Default: <see cref="InboxClientDefaults.MaxPollingInterval"/> (30 s).</summary>
    public TimeSpan MaxPollingInterval { get; set; } = InboxClientDefaults.MaxPollingInterval;

    /// <summary>
    /// How request bodies are written and results read. Default: the web defaults with snake_case names
    /// (<c>claim_id</c> reads into <c>ClaimId</c>), as the contract's own fields are named.
    /// </summary>
    public JsonSerializerOptions SerializerOptions { get; set; } = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    /// <summary>The clock the polling waits on. Default: <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Every broken rule, so one exception names them all.</summary>
    internal IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (!IdempotencyHeaders.IsKeyHeader(HeaderName))
        {
            errors.Add($"InboxClientOptions.HeaderName must be Idempotency-Key or X-Idempotency-Key; it is '{HeaderName}'.");
        }

        if (MinPollingInterval <= TimeSpan.Zero)
        {
            errors.Add($"InboxClientOptions.MinPollingInterval must be positive; it is {MinPollingInterval}.");
        }

        if (MaxPollingInterval < MinPollingInterval)
        {
            errors.Add($"InboxClientOptions.MaxPollingInterval ({MaxPollingInterval}) must not be shorter than MinPollingInterval ({MinPollingInterval}).");
        }

        if (PollingInterval < MinPollingInterval || PollingInterval > MaxPollingInterval)
        {
            errors.Add($"InboxClientOptions.PollingInterval ({PollingInterval}) must lie between MinPollingInterval and MaxPollingInterval.");
        }

        if (SerializerOptions is null)
        {
            errors.Add("InboxClientOptions.SerializerOptions must not be null.");
        }

        if (TimeProvider is null)
        {
            errors.Add("InboxClientOptions.TimeProvider must not be null.");
        }

        return errors;
    }
}
