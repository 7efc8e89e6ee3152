using Inbox.AspNetCore;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Opts endpoints into the idempotency contract.</summary>
public static class IdempotencyEndpointConventionBuilderExtensions
{
    /// <summary>
    /// Opts the endpoint (a POST, PUT or PATCH) into the idempotency contract, with the named policy or the default
    /// one. Only adds metadata: <c>app.UseIdempotency()</c> acts on it, and endpoints without it are untouched.
    /// The handler answers with <c>InboxResults.Accept(message)</c>.
    /// </summary>
    public static TBuilder WithIdempotency<TBuilder>(this TBuilder builder, string? policyName = null)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        var metadata = policyName is null ? new IdempotentAttribute() : new IdempotentAttribute(policyName);
        builder.Add(endpoint => endpoint.Metadata.Add(metadata));
        return builder;
    }

    /// <summary>
    /// Names the message type the endpoint accepts operations with, for a handler that answers <c>IResult</c> (a
    /// validation error or <c>InboxResults.Accept(message)</c>). The application then fails at start-up, naming the type
    /// and the member, when the type cannot make the round trip through the operation row that the relay republishes
    /// from (an interface or abstract type, a public field, a property without a setter or constructor parameter).
    /// </summary>
    public static TBuilder Publishes<TBuilder>(this TBuilder builder, Type messageType)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        var metadata = new PublishesAttribute(messageType);
        builder.Add(endpoint => endpoint.Metadata.Add(metadata));
        return builder;
    }
}
