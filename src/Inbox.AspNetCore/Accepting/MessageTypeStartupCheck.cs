using Inbox.Publishing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Inbox.AspNetCore.Accepting;

/// <summary>
/// When the request pipeline is built, before the server starts, checks every message type an endpoint names
/// (<see cref="PublishesAttribute"/>, or a handler declared to return <c>AcceptedOperation&lt;TMessage&gt;</c>) for the
/// round trip the relay depends on, and stops the application, naming the endpoint, the type and the member, when one
/// cannot make it. A start-up filter rather than a hosted service: the application's endpoints are registered with
/// routing only as its pipeline is built.
/// </summary>
internal sealed class MessageTypeStartupCheck : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        next(app);
        Check(app.ApplicationServices);
    };

    private static void Check(IServiceProvider services)
    {
        // Absent when the application registers no routing: no endpoints to check.
        var endpoints = services.GetService<EndpointDataSource>();
        if (endpoints is null)
        {
            return;
        }

        foreach (var endpoint in endpoints.Endpoints)
        {
            foreach (var declared in endpoint.Metadata.GetOrderedMetadata<PublishesAttribute>())
            {
                if (MessageSerializer.CheckRoundTrip(declared.MessageType) is { } problem)
                {
                    throw new InvalidOperationException(
                        $"The endpoint '{endpoint.DisplayName}' accepts operations with a message type the relay cannot republish faithfully. {problem.Message}",
                        problem);
                }
            }
        }
    }
}
