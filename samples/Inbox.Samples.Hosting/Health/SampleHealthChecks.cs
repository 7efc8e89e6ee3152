using Microsoft.AspNetCore.Diagnostics.HealthChecks;

namespace Inbox.Samples.Hosting;

/// <summary><c>/health/live</c> (the process answers) and <c>/health/ready</c> (database and broker).</summary>
public static class SampleHealthChecks
{
    public static IEndpointRouteBuilder MapSampleHealthChecks(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        endpoints.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") });
        return endpoints;
    }
}
