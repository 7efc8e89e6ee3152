using Inbox.AspNetCore.Status;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps the operation status endpoint.</summary>
public static class OperationStatusEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps <c>GET <paramref name="pattern"/></c> to the operation status endpoint. The pattern must have an
    /// <c>{id}</c> parameter. Acceptances point their <c>Location</c> here. The endpoint resolves the tenant like the
    /// opted-in POSTs do, so apply the same authorization to it.
    /// </summary>
    public static IEndpointConventionBuilder MapOperationStatus(this IEndpointRouteBuilder endpoints, string pattern = "/operations/{id}")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        if (RoutePatternFactory.Parse(pattern).GetParameter("id") is null)
        {
            throw new ArgumentException($"The status pattern '{pattern}' must have an {{id}} parameter.", nameof(pattern));
        }

        return endpoints
            .MapGet(pattern, static (HttpContext context) =>
                context.RequestServices.GetRequiredService<OperationStatusEndpoint>().HandleAsync(context))
            .WithName(OperationStatusEndpoint.Name)
            .WithMetadata(
                new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(void), ["application/json"]),
                new ProducesResponseTypeMetadata(StatusCodes.Status404NotFound, typeof(void), ["application/json"]));
    }
}
