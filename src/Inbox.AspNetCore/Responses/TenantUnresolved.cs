using Inbox.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Inbox.AspNetCore.Responses;

/// <summary>
/// Resolves the request's tenant, or answers <c>403 tenant_unresolved</c> when the resolver refuses the principal
/// (<see cref="TenantUnresolvedException"/>) rather than merge it with other callers.
/// </summary>
internal static class TenantUnresolved
{
    /// <returns>The tenant (empty for a single-tenant application), or <see langword="null"/> once the 403 is written.</returns>
    public static async Task<string?> ResolveOrRefuseAsync(HttpContext context, IInboxResponseWriter writer, ILogger logger, string endpoint)
    {
        try
        {
            return await context.RequestServices.GetRequiredService<ITenantResolver>()
                .ResolveTenantAsync(context).ConfigureAwait(false) ?? string.Empty;
        }
        catch (TenantUnresolvedException exception)
        {
            Log.TenantUnresolved(logger, endpoint, exception);
            await writer.WriteErrorAsync(context, new InboxError(
                StatusCodes.Status403Forbidden,
                InboxErrorCodes.TenantUnresolved,
                "You are authenticated, but your credentials name neither a tenant nor a subject, so your idempotency keys " +
                "cannot be kept apart from other callers'. Nothing was stored.")).ConfigureAwait(false);
            return null;
        }
    }
}
