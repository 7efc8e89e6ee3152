using Inbox.Operations;
using Microsoft.AspNetCore.Http;

namespace Inbox.AspNetCore.Responses;

/// <summary>Writes a stored response as it was first sent: status, stored headers and body bytes.</summary>
internal static class StoredResponseWriter
{
    public static async Task WriteAsync(HttpContext context, StoredResponse stored, bool replayed, IReadOnlyCollection<string>? headerNames = null)
    {
        var response = context.Response;
        response.StatusCode = stored.StatusCode;
        foreach (var (name, value) in stored.Headers)
        {
            if (headerNames is null || headerNames.Contains(name))
            {
                response.Headers.Append(name, value);
            }
        }

        if (replayed)
        {
            response.Headers[IdempotencyDefaults.ReplayedHeaderName] = "true";
        }

        response.ContentLength = stored.Body.Length;
        await response.Body.WriteAsync(stored.Body, context.RequestAborted).ConfigureAwait(false);
    }
}
