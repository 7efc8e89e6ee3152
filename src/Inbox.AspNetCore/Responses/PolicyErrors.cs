using Microsoft.AspNetCore.Http;

namespace Inbox.AspNetCore.Responses;

/// <summary>Writes Inbox's errors for an opted-in endpoint as its policy words them (<see cref="IdempotencyPolicy.MapError"/>).</summary>
internal static class PolicyErrors
{
    public static Task WriteErrorAsync(this IInboxResponseWriter writer, HttpContext context, IdempotencyPolicy? policy, InboxError error) =>
        writer.WriteErrorAsync(context, policy?.MapError?.Invoke(error) ?? error);
}
