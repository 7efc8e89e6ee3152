namespace Inbox.AspNetCore;

/// <summary>Marks an endpoint as opted into the idempotency contract.</summary>
public interface IIdempotentMetadata
{
    /// <summary>The policy name, or <see langword="null"/> for the default policy.</summary>
    string? PolicyName { get; }

    /// <summary>The endpoint's mode, or <see langword="null"/> for its policy's (<see cref="IdempotencyPolicy.Mode"/>).</summary>
    IdempotencyMode? Mode => null;
}
