using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Inbox.Samples.Hosting;

/// <summary>
/// <c>/health/live</c> (the process answers) and <c>/health/ready</c>: the checks tagged <c>ready</c>, which are the
/// library's check over the Inbox store (<c>AddInboxHealthChecks</c>, in <see cref="SampleInbox"/>) and MassTransit's
/// bus check, written as JSON with each check's figures. A degraded store (operations waiting or failing) still
/// answers 200; an unreachable one 503.
/// </summary>
public static class SampleHealthChecks
{
    /// <summary>The tag of the checks behind <c>/health/ready</c>.</summary>
    public const string ReadyTag = "ready";

    public static IEndpointRouteBuilder MapSampleHealthChecks(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        endpoints.MapHealthChecks("/health/ready", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(ReadyTag),
            ResponseWriter = WriteReportAsync,
        });
        return endpoints;
    }

    // Only plain figures from each check's data: MassTransit's holds its endpoints' objects.
    private static Task WriteReportAsync(HttpContext context, HealthReport report) =>
        context.Response.WriteAsJsonAsync(new
        {
            status = report.Status.ToString(),
            checks = report.Entries.Select(entry => new
            {
                name = entry.Key,
                status = entry.Value.Status.ToString(),
                description = entry.Value.Description,
                data = entry.Value.Data
                    .Where(item => item.Value is string or int or long or double or bool)
                    .ToDictionary(item => item.Key, item => item.Value),
            }),
        });
}
