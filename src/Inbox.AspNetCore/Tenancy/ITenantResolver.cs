using Microsoft.AspNetCore.Http;

namespace Inbox.AspNetCore;

/// <summary>
/// Finds the tenant a request acts for (an organisation, the owner of an API key). Keys and operations belong to
/// their tenant: the same key under another tenant is another operation, and an operation is invisible to other
/// tenants. Runs after authentication.
/// </summary>
public interface ITenantResolver
{
    /// <summary>
    /// The tenant of <paramref name="context"/>, or <see langword="null"/> or empty when the application has a single
    /// tenant (every caller then shares one key space).
    /// </summary>
    ValueTask<string?> ResolveTenantAsync(HttpContext context);
}
