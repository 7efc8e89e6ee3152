namespace Inbox.AspNetCore;

/// <summary>Options of the default tenant resolver.</summary>
public sealed class TenantOptions
{
    /// <summary>The claim that names the tenant. Default: <c>tenant_id</c>; without it the principal's name is used.</summary>
    public string ClaimType { get; set; } = "tenant_id";
}
