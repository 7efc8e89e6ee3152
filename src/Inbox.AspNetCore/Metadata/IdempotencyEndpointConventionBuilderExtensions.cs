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
}
