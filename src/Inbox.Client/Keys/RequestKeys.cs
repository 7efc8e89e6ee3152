namespace Inbox.Client.Keys;

/// <summary>Where a request's key lives: the caller's choice in the request options, the sent one in a header.</summary>
internal static class RequestKeys
{
    public static readonly HttpRequestOptionsKey<string> Option = new("Inbox.IdempotencyKey");

    public const int MaxLength = 255;

    /// <summary>POST, PUT and PATCH get a key; GET, HEAD, DELETE and the rest are sent as they are.</summary>
    public static bool IsKeyed(HttpMethod method) =>
        method == HttpMethod.Post || method == HttpMethod.Put || method == HttpMethod.Patch;

    /// <summary>GET, HEAD, OPTIONS and TRACE change nothing (RFC 9110, 9.2.1): retried without a key.</summary>
    public static bool IsSafe(HttpMethod method) =>
        method == HttpMethod.Get || method == HttpMethod.Head || method == HttpMethod.Options || method == HttpMethod.Trace;

    public static bool HasKeyHeader(HttpRequestMessage request)
    {
        var headers = request.Headers.NonValidated;
        return headers.Contains(IdempotencyHeaders.IdempotencyKey) || headers.Contains(IdempotencyHeaders.XIdempotencyKey);
    }

    public static string? Find(HttpRequestMessage request)
    {
        if (request.Options.TryGetValue(Option, out var chosen))
        {
            return chosen;
        }

        var headers = request.Headers.NonValidated;
        return headers.TryGetValues(IdempotencyHeaders.IdempotencyKey, out var values) ||
               headers.TryGetValues(IdempotencyHeaders.XIdempotencyKey, out values)
            ? values.ToString()
            : null;
    }

    /// <summary>
    /// Gives a keyed request without a key header its key: the caller's, else a generated one. The header is written
    /// once, before the first attempt, and every retry resends the same message, so every attempt carries the same key.
    /// </summary>
    public static void Ensure(HttpRequestMessage request, string headerName, Func<string> generate)
    {
        if (!IsKeyed(request.Method) || HasKeyHeader(request))
        {
            return;
        }

        var key = request.Options.TryGetValue(Option, out var chosen) ? chosen : generate();
        if (!IsValid(key))
        {
            throw new InvalidOperationException("The idempotency key generator returned a value that is not 1 to 255 visible ASCII characters.");
        }

        request.Headers.TryAddWithoutValidation(headerName, key);
    }

    public static bool IsValid(string? key)
    {
        if (key is not { Length: > 0 and <= MaxLength })
        {
            return false;
        }

        foreach (var c in key)
        {
            if (c is < '!' or > '~')
            {
                return false;
            }
        }

        return true;
    }
}
