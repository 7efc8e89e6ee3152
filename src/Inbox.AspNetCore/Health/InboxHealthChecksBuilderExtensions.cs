using Inbox.AspNetCore;
using Inbox.AspNetCore.Health;
using Inbox.Stores;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the Inbox health check.</summary>
public static class InboxHealthChecksBuilderExtensions
{
    /// <summary>
    /// Adds a health check over the Inbox store (through <see cref="IOperationHealthStore"/>, which
    /// <c>UseEntityFrameworkCore&lt;TDbContext&gt;()</c> registers). It reports <c>Degraded</c> when the oldest
    /// accepted operation has waited longer than <see cref="InboxHealthCheckOptions.MaxAcceptedAge"/>, or when at
    /// least <see cref="InboxHealthCheckOptions.FailureThreshold"/> operations failed within
    /// <see cref="InboxHealthCheckOptions.FailureWindow"/>; <paramref name="failureStatus"/> when the store cannot be
    /// reached or does not answer within <see cref="InboxHealthCheckOptions.Timeout"/>; <c>Healthy</c> otherwise.
    /// The result's data holds the figures (<c>oldest_accepted_age_seconds</c>, <c>failed_in_window</c>) and the
    /// thresholds. Options are validated at start-up.
    /// </summary>
    /// <param name="builder">The application's health checks.</param>
    /// <param name="configure">Sets the thresholds and the timeout of this registration.</param>
    /// <param name="name">The check's name, and the name of its options. Default: <c>inbox</c>.</param>
    /// <param name="failureStatus">What an unreachable store reports. Default: <see cref="HealthStatus.Unhealthy"/>.</param>
    /// <param name="tags">Tags to filter the check by, e.g. <c>["ready"]</c> for a readiness endpoint.</param>
    /// <returns><paramref name="builder"/>, for further checks.</returns>
    public static IHealthChecksBuilder AddInboxHealthChecks(
        this IHealthChecksBuilder builder,
        Action<InboxHealthCheckOptions>? configure = null,
        string name = InboxHealthCheckDefaults.Name,
        HealthStatus? failureStatus = null,
        IEnumerable<string>? tags = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var options = builder.Services.AddOptions<InboxHealthCheckOptions>(name).ValidateOnStart();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        builder.Services.TryAddEnumerable(
            ServiceDescriptor.Singleton<IValidateOptions<InboxHealthCheckOptions>, InboxHealthCheckOptionsValidator>());
        return builder.Add(new HealthCheckRegistration(
            name,
            services => new InboxHealthCheck(
                services.GetService<IOperationHealthStore>(),
                services.GetRequiredService<IOptionsMonitor<InboxHealthCheckOptions>>().Get(name),
                services.GetService<TimeProvider>() ?? TimeProvider.System),
            failureStatus,
            tags));
    }
}
