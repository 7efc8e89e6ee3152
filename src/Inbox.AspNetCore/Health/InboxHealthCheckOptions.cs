namespace Inbox.AspNetCore;

/// <summary>
/// Options of the Inbox health check (<c>AddInboxHealthChecks</c>), one set per registration name; validated at
/// start-up.
/// </summary>
public sealed class InboxHealthCheckOptions
{
    /// <summary>
    /// How long the oldest operation may stay <c>accepted</c> (stored, but taken by no consumer yet) before the check
    /// reports <c>Degraded</c>: the relay, the broker or the consumers are not keeping up. Default: 5 minutes. Keep
    /// it above the store's relay delay (30 seconds by default), which an operation may wait before its first republish.
    /// </summary>
    public TimeSpan MaxAcceptedAge { get; set; } = InboxHealthCheckDefaults.MaxAcceptedAge;

    /// <summary>How far back the check counts failed operations. Default: 15 minutes.</summary>
    public TimeSpan FailureWindow { get; set; } = InboxHealthCheckDefaults.FailureWindow;

    /// <summary>
    /// How many operations failing within <see cref="FailureWindow"/> make the check report <c>Degraded</c>.
    /// Default: 10; 1 reports any failure.
    /// </summary>
    public int FailureThreshold { get; set; } = InboxHealthCheckDefaults.FailureThreshold;

    /// <summary>
    /// How long the check waits for the store before it reports the store as unreachable, so that a hung database
    /// answers the probe in time instead of holding it. Default: 5 seconds.
    /// </summary>
    public TimeSpan Timeout { get; set; } = InboxHealthCheckDefaults.Timeout;
}
