using System.Reflection;
using Inbox.AspNetCore.Accepting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.DependencyInjection;

namespace Inbox.AspNetCore;

/// <summary>The result an opted-in handler returns once the request is valid.</summary>
public static class InboxResults
{
    /// <summary>
    /// Accepts the request as an operation that publishes <paramref name="message"/>: stores it (or finds the
    /// operation already stored under the same key) and answers <c>202 Accepted</c> with the status URL, or replays
    /// the first acceptance, or rejects a key reused with another body.
    /// </summary>
    public static AcceptedOperation<TMessage> Accept<TMessage>(TMessage message)
        where TMessage : class
    {
        ArgumentNullException.ThrowIfNull(message);
        return new AcceptedOperation<TMessage>(message);
    }
}

/// <summary>The result of <see cref="InboxResults.Accept{TMessage}(TMessage)"/>.</summary>
/// <typeparam name="TMessage">The message type published for the operation.</typeparam>
public sealed class AcceptedOperation<TMessage> : IResult, IEndpointMetadataProvider
    where TMessage : class
{
    internal AcceptedOperation(TMessage message) => Message = message;

    /// <summary>The message to publish.</summary>
    public TMessage Message { get; }

    /// <inheritdoc />
    public Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        return httpContext.RequestServices.GetRequiredService<OperationAcceptor>()
            .AcceptAsync(httpContext, Message, typeof(TMessage));
    }

    /// <inheritdoc />
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status202Accepted, typeof(void), ["application/json"]));
        builder.Metadata.Add(new PublishesAttribute(typeof(TMessage)));
    }
}
