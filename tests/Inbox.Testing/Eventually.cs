namespace Inbox.Testing;

/// <summary>Awaits a condition that another process or thread makes true.</summary>
public static class Eventually
{
    /// <summary>The default time a condition gets before the test fails.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Evaluates <paramref name="probe"/> until it returns a value that satisfies <paramref name="until"/>,
    /// and returns that value; throws <see cref="TimeoutException"/> naming <paramref name="what"/> otherwise.
    /// </summary>
    public static async Task<T> ReturnsAsync<T>(
        string what, Func<Task<T>> probe, Func<T, bool> until, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? DefaultTimeout);
        var pause = TimeSpan.FromMilliseconds(10);
        T last;
        while (true)
        {
            last = await probe();
            if (until(last))
            {
                return last;
            }

            if (DateTime.UtcNow >= deadline)
            {
                throw new TimeoutException($"Timed out waiting for {what}; last value: {last}");
            }

            await Task.Delay(pause);
            pause = TimeSpan.FromMilliseconds(Math.Min(pause.TotalMilliseconds * 2, 200));
        }
    }

    /// <summary>Evaluates <paramref name="condition"/> until it is true; throws <see cref="TimeoutException"/> otherwise.</summary>
    public static Task TrueAsync(string what, Func<Task<bool>> condition, TimeSpan? timeout = null) =>
        ReturnsAsync(what, condition, static value => value, timeout);
}
