using Microsoft.Extensions.DependencyInjection;

namespace Inbox.Client.Tests.Retries;

public sealed class IdempotentRetryOptionsTests
{
    [Fact]
    public void The_defaults_are_the_documented_ones()
    {
        var options = new IdempotentRetryOptions();
        Assert.Equal(5, options.MaxRetryAttempts);
        Assert.Equal(TimeSpan.FromSeconds(1), options.BaseDelay);
        Assert.Equal(TimeSpan.FromSeconds(60), options.MaxDelay);
        Assert.Equal(0.2, options.JitterFactor);
        Assert.Equal(TimeSpan.FromSeconds(60), options.MaxRetryAfter);
        Assert.Equal(TimeSpan.FromSeconds(90), options.TotalRequestTimeout);
    }

    [Fact]
    public void Every_broken_rule_is_reported_at_once()
    {
        var error = Assert.Throws<ArgumentException>(() => new ServiceCollection().AddHttpClient("api").AddIdempotentResilienceHandler(options =>
        {
            options.MaxRetryAttempts = -1;
            options.BaseDelay = TimeSpan.FromSeconds(2);
            options.MaxDelay = TimeSpan.FromSeconds(1);
            options.JitterFactor = 1.5;
            options.MaxRetryAfter = TimeSpan.Zero;
        }));

        Assert.Equal(
            "IdempotentRetryOptions.MaxRetryAttempts must be between 0 and 100; it is -1. " +
            "IdempotentRetryOptions.MaxRetryAfter must be positive; it is 00:00:00. " +
            "IdempotentRetryOptions.MaxDelay (00:00:01) must not be shorter than BaseDelay (00:00:02). " +
            "IdempotentRetryOptions.JitterFactor must be between 0 and 1; it is 1.5. (Parameter 'configure')",
            error.Message);
    }
}
