namespace Inbox.Client;

/// <summary>How <c>AddIdempotencyKeys()</c> keys the requests of an <see cref="HttpClient"/>.</summary>
public sealed class IdempotencyKeyOptions
{
    /// <summary>
    /// The header the key is sent in: <c>Idempotency-Key</c> or <c>X-Idempotency-Key</c>.
    /// Default: <see cref="InboxClientDefaults.HeaderName"/> (<c>Idempotency-Key</c>).
    /// </summary>
    public string HeaderName { get; set; } = InboxClientDefaults.HeaderName;

    /// <summary>
    /// Makes the key of a request that has none. Default: a random UUID (version 4), one per logical send.
    /// It must return 1 to 255 visible ASCII characters.
    /// </summary>
    public Func<string> KeyGenerator { get; set; } = NewUuid;

    internal static string NewUuid() => Guid.NewGuid().ToString();

    /// <summary>Every broken rule, so one exception names them all.</summary>
    internal IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (!IdempotencyHeaders.IsKeyHeader(HeaderName))
        {
            errors.Add($"IdempotencyKeyOptions.HeaderName must be Idempotency-Key or X-Idempotency-Key; it is '{HeaderName}'.");
        }

        if (KeyGenerator is null)
        {
            errors.Add("IdempotencyKeyOptions.KeyGenerator must not be null.");
        }

        return errors;
    }
}
