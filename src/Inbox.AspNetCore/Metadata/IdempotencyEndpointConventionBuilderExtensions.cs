using Inbox.AspNetCore;
using Inbox.AspNetCore.Synchronous;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Opts endpoints into the idempotency contract.</summary>
public static class IdempotencyEndpointConventionBuilderExtensions
{
    /// <summary>
    /// Opts the endpoint (a POST, PUT or PATCH) into the idempotency contract, with the named policy or the default
    /// one, in the policy's mode. Only adds metadata and the filter that claims a synchronous endpoint's operation
    /// after its parameters are bound and validated (call it after the endpoint's own validation filters, which then run
    /// first, so a request they reject stores nothing): <c>app.UseIdempotency()</c> acts on them, and endpoints without
    /// them are untouched. In <see cref="IdempotencyMode.Accept"/> the handler answers with <c>InboxResults.Accept(message)</c>.
    /// </summary>
    public static TBuilder WithIdempotency<TBuilder>(this TBuilder builder, string? policyName = null)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithIdempotency(policyName is null ? new IdempotentAttribute() : new IdempotentAttribute(policyName));

    /// <summary>
    /// Opts the endpoint into the idempotency contract in <paramref name="mode"/>, with the named policy or the default
    /// one. In <see cref="IdempotencyMode.Transactional"/> and <see cref="IdempotencyMode.Leased"/> the handler writes
    /// its own response, which is stored and replayed byte for byte.
    /// </summary>
    public static TBuilder WithIdempotency<TBuilder>(this TBuilder builder, IdempotencyMode mode, string? policyName = null)
        where TBuilder : IEndpointConventionBuilder
    {
        var metadata = policyName is null ? new IdempotentAttribute() : new IdempotentAttribute(policyName);
        metadata.Mode = mode;
        return builder.WithIdempotency(metadata);
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

    private static TBuilder WithIdempotency<TBuilder>(this TBuilder builder, IdempotentAttribute metadata)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Add(endpoint =>
        {
            endpoint.Metadata.Add(metadata);
            endpoint.Metadata.Add(ClaimFilterMetadata.Instance);
            endpoint.FilterFactories.Add(IdempotencyEndpointFilter.Create);
        });
        return builder;
    }
}
