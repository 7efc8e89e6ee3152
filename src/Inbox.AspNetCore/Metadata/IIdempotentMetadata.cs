namespace Inbox.AspNetCore;

/// <summary>Marks an endpoint as opted into the idempotency contract.</summary>
public interface IIdempotentMetadata
{
    /// <summary>The policy name, or <see langword="null"/> for the default policy.</summary>
    string? PolicyName { get; }
}
