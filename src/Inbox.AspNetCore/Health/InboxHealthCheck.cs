using System.Globalization;
using Inbox.Operating;
using Inbox.Stores;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Inbox.AspNetCore.Health;

/// <summary>
/// Reads how long the oldest accepted operation has waited and how many operations failed lately, and reports
/// <c>Degraded</c> past either threshold, and the registration's failure status when the store cannot be reached
/// or does not answer in time. The result carries the figures, never a key or a body.
/// </summary>
internal sealed class InboxHealthCheck(IOperationHealthStore? store, InboxHealthCheckOptions options, TimeProvider time) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (store is null)
        {
            // Thrown, not reported: the health check service reports it with the registration's failure status.
            throw new InvalidOperationException(
                "AddInboxHealthChecks reads the store through IOperationHealthStore, and no store registers one: add one, " +
                "e.g. services.AddInbox().UseEntityFrameworkCore<TDbContext>().");
        }

        var now = time.GetUtcNow();
        using var timeout = new CancellationTokenSource(options.Timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        OperationHealthFigures figures;
        try
        {
            figures = await store.ReadHealthAsync(now - options.FailureWindow, linked.Token).ConfigureAwait(false);
        }
        catch (InboxStoreUnavailableException exception)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, "The Inbox store cannot be reached.", exception);
        }
        catch (Exception exception) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            // A provider may report its cancelled command as its own error rather than as a cancellation.
            return new HealthCheckResult(
                context.Registration.FailureStatus, $"The Inbox store did not answer within {Text(options.Timeout)}.", exception);
        }

        return Judge(figures, now);
    }

    private HealthCheckResult Judge(OperationHealthFigures figures, DateTimeOffset now)
    {
        // Whole seconds: the figures are for people and dashboards. A clock behind the database's reads as no wait.
        var age = figures.OldestAcceptedAt is { } oldest && now > oldest
            ? TimeSpan.FromSeconds(Math.Floor((now - oldest).TotalSeconds))
            : TimeSpan.Zero;
        var data = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["oldest_accepted_age_seconds"] = (long)age.TotalSeconds,
            ["max_accepted_age_seconds"] = (long)options.MaxAcceptedAge.TotalSeconds,
            ["failed_in_window"] = figures.FailedCount,
            ["failure_window_seconds"] = (long)options.FailureWindow.TotalSeconds,
            ["failure_threshold"] = options.FailureThreshold,
        };

        var waiting = age > options.MaxAcceptedAge;
        var failing = figures.FailedCount >= options.FailureThreshold;
        var ageText = figures.OldestAcceptedAt is null
            ? "No accepted operation is waiting."
            : waiting
                ? $"The oldest accepted operation has waited {Text(age)}, longer than {Text(options.MaxAcceptedAge)}: " +
                  "the relay, the broker or the consumers are not keeping up."
                : $"The oldest accepted operation has waited {Text(age)} (limit {Text(options.MaxAcceptedAge)}).";
        var failuresText = failing
            ? $"Operations failed in the last {Text(options.FailureWindow)}: {figures.FailedCount}, at the threshold of {options.FailureThreshold} or over."
            : $"Operations failed in the last {Text(options.FailureWindow)}: {figures.FailedCount} (threshold {options.FailureThreshold}).";

        if (!waiting && !failing)
        {
            return HealthCheckResult.Healthy($"{ageText} {failuresText}", data);
        }

        // A degraded result names only what degrades it.
        var description = waiting && failing ? $"{ageText} {failuresText}" : waiting ? ageText : failuresText;
        return HealthCheckResult.Degraded(description, data: data);
    }

    private static string Text(TimeSpan value) => value.ToString("c", CultureInfo.InvariantCulture);
}
