namespace Inbox.AspNetCore;

/// <summary>
/// Opts a controller action (or a minimal API handler) into the idempotency contract. Equivalent to
/// <c>WithIdempotency()</c> on an endpoint.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, AllowMultiple = false, Inherited = true)]
public sealed class IdempotentAttribute : Attribute, IIdempotentMetadata
{
    /// <summary>Opts in with the default policy.</summary>
    public IdempotentAttribute()
    {
    }

    /// <summary>Opts in with the named policy.</summary>
    public IdempotentAttribute(string policyName) => PolicyName = policyName;

    /// <inheritdoc />
    public string? PolicyName { get; }
}
