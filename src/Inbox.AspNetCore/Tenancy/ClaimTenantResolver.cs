using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Inbox.AspNetCore.Tenancy;

/// <summary>
/// The default resolver: the authenticated principal's <see cref="TenantOptions.ClaimType"/> claim, else its name;
/// empty for anonymous requests.
/// </summary>
internal sealed class ClaimTenantResolver(IOptions<TenantOptions> options) : ITenantResolver
{
    public ValueTask<string?> ResolveTenantAsync(HttpContext context)
    {
        var user = context.User;
        if (user.Identity?.IsAuthenticated != true)
        {
            return ValueTask.FromResult<string?>(null);
        }

        return ValueTask.FromResult(user.FindFirst(options.Value.ClaimType)?.Value ?? user.Identity.Name);
    }
}
