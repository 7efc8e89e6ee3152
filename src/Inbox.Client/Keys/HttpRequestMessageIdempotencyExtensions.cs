using Inbox.Client;
using Inbox.Client.Keys;

namespace System.Net.Http;

/// <summary>The idempotency key of a request.</summary>
public static class HttpRequestMessageIdempotencyExtensions
{
    /// <summary>
    /// Sets the key this request is sent with, on every attempt: the key you persisted with your own record
    /// (a draft, an outbox row), so a retry after a restart sends the same key. It wins over a generated one.
    /// The handler of <c>AddIdempotencyKeys()</c> (or <see cref="InboxClient"/>) writes it into the key header.
    /// </summary>
    /// <exception cref="ArgumentException">The key is empty, longer than 255 characters or not visible ASCII.</exception>
    public static HttpRequestMessage SetIdempotencyKey(this HttpRequestMessage request, string key)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!RequestKeys.IsValid(key))
        {
            throw new ArgumentException("An idempotency key is 1 to 255 visible ASCII characters (0x21 to 0x7E).", nameof(key));
        }

        request.Options.Set(RequestKeys.Option, key);
        return request;
    }

    /// <summary>
    /// The key of this request: the one set with <see cref="SetIdempotencyKey"/>, else the value of its
    /// <c>Idempotency-Key</c> or <c>X-Idempotency-Key</c> header (after a send: the generated one); <c>null</c> when it has none.
    /// </summary>
    public static string? GetIdempotencyKey(this HttpRequestMessage request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return RequestKeys.Find(request);
    }
}
