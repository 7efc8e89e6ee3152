using Inbox.Operations;

namespace Inbox.AspNetCore;

/// <summary>
/// What <c>UseIdempotency()</c> learned about an opted-in request before its handler runs: the key, scope,
/// fingerprint and buffered body. Read it with <c>HttpContext.Features.Get&lt;IIdempotencyFeature&gt;()</c>.
/// </summary>
public interface IIdempotencyFeature
{
    /// <summary>The validated, unquoted key, or <see langword="null"/> when the request carries none.</summary>
    string? IdempotencyKey { get; }

    /// <summary>The tenant and endpoint the key belongs to.</summary>
    OperationScope Scope { get; }

    /// <summary>
    /// The endpoint the request came to (method and route pattern), as logs and metrics name it; the scope's endpoint
    /// differs only for a policy that does not scope keys by endpoint (<see cref="IdempotencyPolicy.ScopeKeysByEndpoint"/>).
    /// </summary>
    string Endpoint => Scope.Endpoint;

    /// <summary>The request fingerprint.</summary>
    byte[] Fingerprint { get; }

    /// <summary>The policy of the endpoint.</summary>
    IdempotencyPolicy Policy { get; }
}

internal sealed class IdempotencyFeature(string? key, OperationScope scope, byte[] fingerprint, IdempotencyPolicy policy, string endpoint)
    : IIdempotencyFeature
{
    public string Endpoint { get; } = endpoint;

    public string? IdempotencyKey { get; } = key;

    public OperationScope Scope { get; } = scope;

    public byte[] Fingerprint { get; } = fingerprint;

    public IdempotencyPolicy Policy { get; } = policy;
}
