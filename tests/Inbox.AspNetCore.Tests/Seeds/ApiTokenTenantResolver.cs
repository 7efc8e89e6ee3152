using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Inbox.AspNetCore.Tests.Seeds;

/// <summary>
/// Tendral's scope, as docs/seed-apis.md shows it: one key space per API token. The tenant is a hash of the bearer
/// token, so two tokens never share keys (even of one organisation) and the token itself is never stored.
/// </summary>
public sealed class ApiTokenTenantResolver : ITenantResolver
{
    private const string Scheme = "Bearer ";

    public ValueTask<string?> ResolveTenantAsync(HttpContext context)
    {
        var authorization = context.Request.Headers.Authorization.ToString();
        if (!authorization.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase) || authorization.Length == Scheme.Length)
        {
            // The application's authentication answers 401 before this for a request without a token.
            return ValueTask.FromResult<string?>(null);
        }

        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(authorization[Scheme.Length..]));
        return ValueTask.FromResult<string?>("token:" + Convert.ToHexStringLower(hash));
    }
}
