using Inbox.AspNetCore.Accepting;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Adds the idempotency middleware.</summary>
public static class IdempotencyApplicationBuilderExtensions
{
    /// <summary>
    /// Adds the middleware that applies the key rules to endpoints opted in with <c>WithIdempotency()</c> or
    /// <c>[Idempotent]</c>. Call it after <c>UseAuthentication()</c> and <c>UseAuthorization()</c>, so a request is
    /// authenticated (401) before its key is judged (400).
    /// </summary>
    public static IApplicationBuilder UseIdempotency(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return app.UseMiddleware<IdempotencyMiddleware>();
    }
}
