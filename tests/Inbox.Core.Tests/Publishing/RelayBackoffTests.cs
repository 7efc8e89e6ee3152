using Inbox.Publishing;

namespace Inbox.Core.Tests.Publishing;

public sealed class RelayBackoffTests
{
    private static readonly TimeSpan Delay = TimeSpan.FromSeconds(30);

    [Fact]
    public void Delay_doubles_with_each_republish_until_the_cap()
    {
        var backoff = new RelayBackoff(Delay, TimeSpan.FromHours(1));

        var delays = Enumerable.Range(0, 10).Select(backoff.DelayAfter).Select(d => d.TotalSeconds);

        Assert.Equal([30, 60, 120, 240, 480, 960, 1920, 3600, 3600, 3600], delays);
    }

    [Fact]
    public void Delay_stays_at_the_cap_however_many_republishes_there_were()
    {
        var backoff = new RelayBackoff(Delay, TimeSpan.FromHours(1));

        Assert.Equal(TimeSpan.FromHours(1), backoff.DelayAfter(62));
        Assert.Equal(TimeSpan.FromHours(1), backoff.DelayAfter(63));
        Assert.Equal(TimeSpan.FromHours(1), backoff.DelayAfter(int.MaxValue));
    }

    [Fact]
    public void A_cap_equal_to_the_delay_republishes_at_a_fixed_rate()
    {
        var backoff = new RelayBackoff(Delay, Delay);

        Assert.All(Enumerable.Range(0, 5), attempts => Assert.Equal(Delay, backoff.DelayAfter(attempts)));
    }

    [Fact]
    public void Delay_and_cap_are_checked()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new RelayBackoff(TimeSpan.Zero, TimeSpan.FromHours(1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RelayBackoff(Delay, TimeSpan.FromSeconds(29)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RelayBackoff(Delay, TimeSpan.FromHours(1)).DelayAfter(-1));
    }
}
