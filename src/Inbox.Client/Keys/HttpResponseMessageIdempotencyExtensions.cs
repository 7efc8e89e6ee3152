using Inbox.Client;

namespace System.Net.Http;

/// <summary>What an answer says about idempotency.</summary>
public static class HttpResponseMessageIdempotencyExtensions
{
    /// <summary>
    /// Whether the server replayed this answer from an earlier request with the same key (<c>Idempotent-Replayed: true</c>):
    /// the work was done once, before; treat the answer as you would the first.
    /// </summary>
    public static bool IsIdempotentReplay(this HttpResponseMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        return response.Headers.NonValidated.TryGetValues(IdempotencyHeaders.IdempotentReplayed, out var values) &&
               string.Equals(values.ToString(), "true", StringComparison.OrdinalIgnoreCase);
    }
}
