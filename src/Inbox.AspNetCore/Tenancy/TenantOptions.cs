using System.Security.Claims;

namespace Inbox.AspNetCore;

/// <summary>Options of the default tenant resolver.</summary>
public sealed class TenantOptions
{
    /// <summary>The claim that names the tenant. Default: <c>tenant_id</c>.</summary>
    public string ClaimType { get; set; } = "tenant_id";

    /// <summary>
    /// The claims that name the principal itself, tried in order, for an authenticated principal without a
    /// <see cref="ClaimType"/> claim: it is then scoped by its subject (with the claim's issuer) in a namespace of its
    /// own, never by its name and never with other principals. Default: <c>sub</c>, then
    /// <see cref="ClaimTypes.NameIdentifier"/> (where JWT bearer authentication maps <c>sub</c> by default).
    /// </summary>
    public IList<string> SubjectClaimTypes { get; } = ["sub", ClaimTypes.NameIdentifier];
}
