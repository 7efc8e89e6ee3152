using Inbox.AspNetCore.Health;
using Inbox.AspNetCore.Tests.Support;
using Inbox.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Inbox.AspNetCore.Tests.Health;

public sealed class InboxHealthCheckOptionsValidatorTests
{
    [Fact]
    public void Default_options_are_valid()
    {
        Assert.True(new InboxHealthCheckOptionsValidator().Validate(InboxHealthCheckDefaults.Name, new InboxHealthCheckOptions()).Succeeded);
    }

    [Fact]
    public void Options_report_every_error_at_once()
    {
        var options = new InboxHealthCheckOptions
        {
            MaxAcceptedAge = TimeSpan.Zero,
            FailureWindow = TimeSpan.FromSeconds(-1),
            FailureThreshold = 0,
            Timeout = TimeSpan.Zero,
        };

        var result = new InboxHealthCheckOptionsValidator().Validate(InboxHealthCheckDefaults.Name, options);

        Assert.True(result.Failed);
        Assert.Equal(
        [
            "InboxHealthCheckOptions.MaxAcceptedAge must be greater than zero; it is 00:00:00.",
            "InboxHealthCheckOptions.FailureWindow must be greater than zero; it is -00:00:01.",
            "InboxHealthCheckOptions.FailureThreshold must be at least 1; it is 0.",
            "InboxHealthCheckOptions.Timeout must be greater than zero; it is 00:00:00.",
        ], result.Failures);
    }

    [Fact]
    public void Smallest_positive_thresholds_are_valid()
    {
        var options = new InboxHealthCheckOptions
        {
            MaxAcceptedAge = TimeSpan.FromTicks(1),
            FailureWindow = TimeSpan.FromTicks(1),
            FailureThreshold = 1,
            Timeout = TimeSpan.FromTicks(1),
        };

        Assert.True(new InboxHealthCheckOptionsValidator().Validate(InboxHealthCheckDefaults.Name, options).Succeeded);
    }

    [Fact]
    public async Task Invalid_options_stop_the_application_at_start_up()
    {
        var database = await TestDatabase.CreateAsync(DatabaseKind.Sqlite);
        try
        {
            var error = await Assert.ThrowsAsync<OptionsValidationException>(() => TestApi.StartAsync(
                database,
                services: services => services.AddHealthChecks().AddInboxHealthChecks(options => options.FailureThreshold = -3, name: "inbox-ready")));

            Assert.Equal("inbox-ready", error.OptionsName);
            Assert.Equal(["InboxHealthCheckOptions.FailureThreshold must be at least 1; it is -3."], error.Failures);
        }
        finally
        {
            await database.DisposeAsync();
        }
    }
}
