namespace Inbox.Operations;

/// <summary>
/// What an idempotency key belongs to: a tenant and an endpoint (method plus route pattern). The same key
/// under another tenant or endpoint is another operation.
/// </summary>
/// <param name="Tenant">The tenant (organisation, API key owner); empty for a single-tenant application.</param>
/// <param name="Endpoint">The method and route pattern, e.g. <c>POST /v1/claims</c>.</param>
public readonly record struct OperationScope(string Tenant, string Endpoint)
{
    /// <summary>The longest tenant accepted, in characters.</summary>
    public const int MaxTenantLength = 200;

    /// <summary>The longest endpoint accepted, in characters.</summary>
    public const int MaxEndpointLength = 300;
}
