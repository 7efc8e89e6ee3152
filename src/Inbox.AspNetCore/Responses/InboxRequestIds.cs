using Inbox.Operations;
using Microsoft.AspNetCore.Http;

namespace Inbox.AspNetCore;

/// <summary>The request id Inbox puts in <c>meta.request_id</c>; the application may use it in its own bodies.</summary>
public static class InboxRequestIds
{
    private static readonly object ItemKey = new();

    /// <summary>The request id of <paramref name="context"/> (<c>req_</c> and 26 random characters), made on first use.</summary>
    public static string GetInboxRequestId(this HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Items.TryGetValue(ItemKey, out var existing) && existing is string id)
        {
            return id;
        }

        id = RandomIds.NewRequestId();
        context.Items[ItemKey] = id;
        return id;
    }
}
