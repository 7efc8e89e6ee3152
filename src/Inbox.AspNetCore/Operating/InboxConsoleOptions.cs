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

    /// <summary>
    /// How long the console serves counts (<c>GET counts</c>) from its per-process cache before reading them again.
    /// Exact counts visit every row they count (about 150 ms for 1,000,000 operations on PostgreSQL), so they are
    /// cached per scope: each tenant's counts, and the all-tenants counts, apart; an operator never reads another
    /// scope's entry. A read within this age is answered from the cache; a read older than this but younger than
    /// <see cref="InboxConsoleDefaults.CountsStaleFactor"/> times it is answered from the cache too and starts one
    /// background read (shared by every request meanwhile); past that, or before any value, the request awaits one
    /// shared read. The answer's <c>as_of</c> says when its counts were read. An action (a redrive, a lease release)
    /// drops the cached counts of the scopes it may have changed. <see cref="TimeSpan.Zero"/> reads the counts on every
    /// request. Must not be negative. Default: <see cref="InboxConsoleDefaults.CountsMaxAge"/> (10 seconds).
    /// </summary>
    public TimeSpan CountsMaxAge { get; set; } = InboxConsoleDefaults.CountsMaxAge;
}
