namespace Inbox.Samples.Hosting.Simulator;

/// <summary>
/// The faults the simulator injects: a fraction of calls fail with 503 before doing anything, and a fraction
/// stall (answer late, after doing the work), as a slow subscriber whose caller times out would.
/// </summary>
public sealed class FaultPlan
{
    private readonly object _gate = new();

    public double FailRate { get; private set; }

    public double StallRate { get; private set; }

    public int StallMilliseconds { get; private set; }

    public void Set(double failRate, double stallRate, int stallMilliseconds)
    {
        lock (_gate)
        {
            FailRate = Math.Clamp(failRate, 0, 1);
            StallRate = Math.Clamp(stallRate, 0, 1);
            StallMilliseconds = Math.Clamp(stallMilliseconds, 0, 120_000);
        }
    }

    public bool ShouldFail() => Random.Shared.NextDouble() < FailRate;

    public TimeSpan StallFor() => Random.Shared.NextDouble() < StallRate ? TimeSpan.FromMilliseconds(StallMilliseconds) : TimeSpan.Zero;
}
