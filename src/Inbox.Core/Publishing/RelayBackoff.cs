namespace Inbox.Publishing;

/// <summary>
/// How long the relay waits before it publishes an operation again: <see cref="Delay"/> after the acceptance,
/// then twice as long after each republish, never longer than <see cref="MaxDelay"/>.
/// </summary>
public sealed record RelayBackoff
{
    /// <summary>Creates the schedule; <paramref name="maxDelay"/> must be at least <paramref name="delay"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="delay"/> is not positive, or <paramref name="maxDelay"/> is shorter than it.
    /// </exception>
    public RelayBackoff(TimeSpan delay, TimeSpan maxDelay)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(delay, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxDelay, delay);
        Delay = delay;
        MaxDelay = maxDelay;
    }

    /// <summary>The wait before the first republish, counted from the acceptance.</summary>
    public TimeSpan Delay { get; }

    /// <summary>The longest wait between two republishes of one operation.</summary>
    public TimeSpan MaxDelay { get; }

    /// <summary>
    /// The wait after an operation's <paramref name="attempts"/>-th republish (0: after its acceptance):
    /// <see cref="Delay"/> × 2^<paramref name="attempts"/>, at most <see cref="MaxDelay"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="attempts"/> is negative.</exception>
    public TimeSpan DelayAfter(int attempts)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(attempts);

        // Delay × 2^attempts ≤ MaxDelay exactly when Delay ≤ MaxDelay / 2^attempts (in whole ticks), which never
        // overflows; from 63 doublings on every positive delay is past any cap (and a shift would wrap).
        return attempts < 63 && Delay.Ticks <= MaxDelay.Ticks >> attempts
            ? TimeSpan.FromTicks(Delay.Ticks << attempts)
            : MaxDelay;
    }
}
