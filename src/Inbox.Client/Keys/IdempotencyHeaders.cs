namespace Inbox.Client;

/// <summary>The header names of the idempotency contract.</summary>
public static class IdempotencyHeaders
{
    /// <summary>The key header.</summary>
    public const string IdempotencyKey = "Idempotency-Key";

    /// <summary>The key header's alias; a server of this contract reads either as the same key.</summary>
    public const string XIdempotencyKey = "X-Idempotency-Key";

    /// <summary><c>true</c> on an answer the server replayed from the first request with the same key.</summary>
    public const string IdempotentReplayed = "Idempotent-Replayed";

    /// <summary>The status URL of an accepted operation (a <c>202</c>); <c>Location</c> carries it too.</summary>
    public const string OperationLocation = "Operation-Location";

    /// <summary>Whether <paramref name="name"/> is one of the two key headers.</summary>
    public static bool IsKeyHeader(string? name) =>
        string.Equals(name, IdempotencyKey, StringComparison.OrdinalIgnoreCase) ||
        string.Equals(name, XIdempotencyKey, StringComparison.OrdinalIgnoreCase);
}
