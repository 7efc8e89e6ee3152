namespace Inbox.AspNetCore;

/// <summary>Options of the operations console (<c>MapInboxConsole</c>).</summary>
public sealed class InboxConsoleOptions
{
    /// <summary>
    /// The authorization policy that lets an operator see every tenant's operations (and filter by <c>tenant</c>).
    /// An operator who also meets it sees all tenants; any other operator sees only the tenant the
    /// <see cref="ITenantResolver"/> finds for it. Default: <see langword="null"/> (every operator is scoped to its tenant).
    /// </summary>
    public string? AllTenantsPolicy { get; set; }

    /// <summary>
    /// Whether an operation's detail shows its stored response body, its message and its result. They hold what
    /// callers sent (patient data, for some), so they are left out unless the application opts in. Default: <see langword="false"/>.
    /// </summary>
    public bool IncludeBodies { get; set; }
}
