using Inbox.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Inbox.AspNetCore.Responses;

/// <summary>
/// The answer when the database cannot be reached: 503 with <c>Retry-After</c>. A retry with the same key is safe
/// whether or not the failed attempt was stored.
/// </summary>
internal static class StoreUnavailable
{
    public static Task WriteAsync(HttpContext context, IInboxResponseWriter writer, IdempotencyOptions options, IdempotencyPolicy? policy, ILogger logger, Exception exception)
    {
        Log.StoreUnavailable(logger, exception);
        context.Response.Headers.RetryAfter = RetryAfter.Seconds(options.RetryAfter);
        return writer.WriteErrorAsync(context, policy, new InboxError(
            StatusCodes.Status503ServiceUnavailable,
            InboxErrorCodes.ServiceUnavailable,
            "The operation store is unavailable; retry with the same idempotency key after the Retry-After interval."));
    }
}
