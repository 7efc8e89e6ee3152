namespace Inbox.Client;

/// <summary>The error codes of the idempotency contract that a caller acts on.</summary>
public static class IdempotencyErrorCodes
{
    /// <summary>409: another request with the key is still being accepted; retried after <c>Retry-After</c>.</summary>
    public const string KeyInUse = "idempotency_key_in_use";

    /// <summary>409 (or 422): the key was used with another request body. Never retried: a new operation needs a new key.</summary>
    public const string KeyMismatchedBody = "idempotency_key_mismatched_body";

    /// <summary>400: the key header breaks a rule.</summary>
    public const string InvalidKey = "invalid_idempotency_key";

    /// <summary>400: the endpoint requires a key and none was sent.</summary>
    public const string KeyRequired = "idempotency_key_required";

    /// <summary>404: no operation with this id is visible to the caller.</summary>
    public const string OperationNotFound = "operation_not_found";
}
