namespace Inbox.Publishing;

/// <summary>The message headers an accepted operation is published with.</summary>
public static class OperationHeaders
{
    /// <summary>The idempotency key of the accepting request.</summary>
    public const string IdempotencyKey = "Idempotency-Key";

    /// <summary>The operation id.</summary>
    public const string OperationId = "Inbox-Operation-Id";

    /// <summary>The tenant of the operation's scope.</summary>
    public const string Tenant = "Inbox-Tenant";

    /// <summary>The endpoint (method and route pattern) of the operation's scope.</summary>
    public const string Endpoint = "Inbox-Endpoint";

    /// <summary>When the operation expires, as an ISO 8601 UTC timestamp.</summary>
    public const string ExpiresAt = "Inbox-Operation-Expires-At";
}
