namespace Inbox.AspNetCore.Operating;

/// <summary>
/// Whose operations an operator sees: its own tenant's, or, when it meets the all-tenants policy, everyone's.
/// </summary>
internal sealed record ConsoleScope(bool AllTenants, string Tenant)
{
    public static readonly ConsoleScope Everyone = new(AllTenants: true, string.Empty);

    /// <summary>The tenant to pass to the store for one operation: <see langword="null"/> (any tenant) for an all-tenants operator.</summary>
    public string? StoreTenant => AllTenants ? null : Tenant;

    /// <summary>
    /// The tenant to pass to the store for a <c>tenant</c> filter (<see langword="null"/>: all tenants), or
    /// <see langword="false"/> when the filter names a tenant outside the scope, which then matches nothing.
    /// </summary>
    public bool TryNarrow(string? requested, out string? tenant)
    {
        if (AllTenants)
        {
            tenant = requested;
            return true;
        }

        tenant = Tenant;
        return requested is null || string.Equals(requested, Tenant, StringComparison.Ordinal);
    }
}
