using System.Buffers.Binary;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Inbox.Operations;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Inbox.AspNetCore.Tenancy;

/// <summary>
/// The default resolver. Anonymous requests share the empty tenant. An authenticated principal's
/// <see cref="TenantOptions.ClaimType"/> claim names its tenant; without one, the principal is scoped by its subject
/// (<see cref="TenantOptions.SubjectClaimTypes"/> and that claim's issuer) in a namespace of its own; with neither it
/// is refused (<see cref="TenantUnresolvedException"/>). Its name is never used: a user named <c>acme</c> is not
/// tenant <c>acme</c>.
/// </summary>
/// <remarks>
/// Every tenant this resolver makes is one no other principal can get. Tenants it generates start with <c>~</c> and a
/// letter: <c>~sub:</c> and the hash of (issuer, subject), and <c>~tenant:</c> and the hash of a tenant claim too long
/// to fit <see cref="OperationScope.MaxTenantLength"/>. A tenant claim that itself starts with <c>~</c> gets a second
/// <c>~</c> in front, so no claim value can spell a generated tenant. Hashing keeps the subject out of the stored
/// tenant (a subject is often an e-mail address) and makes every generated tenant fit the limit.
/// </remarks>
internal sealed class ClaimTenantResolver(IOptions<TenantOptions> options) : ITenantResolver
{
    private const char Reserved = '~';
    private const string SubjectPrefix = "~sub:";
    private const string HashedTenantPrefix = "~tenant:";

    public ValueTask<string?> ResolveTenantAsync(HttpContext context)
    {
        var user = context.User;
        if (user.Identity?.IsAuthenticated != true)
        {
            return ValueTask.FromResult<string?>(null);
        }

        var settings = options.Value;
        var tenant = user.FindFirst(settings.ClaimType)?.Value;
        if (!string.IsNullOrEmpty(tenant))
        {
            return ValueTask.FromResult<string?>(FromTenantClaim(tenant));
        }

        foreach (var subjectClaimType in settings.SubjectClaimTypes)
        {
            if (user.FindFirst(subjectClaimType) is { Value.Length: > 0 } subject)
            {
                return ValueTask.FromResult<string?>(SubjectPrefix + Hash(subject.Issuer, subject.Value));
            }
        }

        throw new TenantUnresolvedException(
            $"The authenticated principal has neither a '{settings.ClaimType}' claim nor a subject claim " +
            $"({string.Join(", ", settings.SubjectClaimTypes.Select(type => $"'{type}'"))}), so its idempotency keys cannot be kept " +
            "apart from other callers'. Issue one of these claims, set TenantOptions, or register an ITenantResolver of your own.");
    }

    private static string FromTenantClaim(string tenant)
    {
        var escaped = tenant[0] == Reserved ? Reserved + tenant : tenant;
        return escaped.Length <= OperationScope.MaxTenantLength ? escaped : HashedTenantPrefix + Hash(issuer: null, tenant);
    }

    // Base64url of SHA-256 over the length-framed issuer and value: 43 characters, and no two pairs frame alike.
    private static string Hash(string? issuer, string value)
    {
        var issuerBytes = Encoding.UTF8.GetBytes(issuer ?? string.Empty);
        var valueBytes = Encoding.UTF8.GetBytes(value);
        var framed = new byte[4 + issuerBytes.Length + valueBytes.Length];
        BinaryPrimitives.WriteInt32BigEndian(framed, issuerBytes.Length);
        issuerBytes.CopyTo(framed, 4);
        valueBytes.CopyTo(framed, 4 + issuerBytes.Length);
        return Base64Url.EncodeToString(SHA256.HashData(framed));
    }
}
