namespace Inbox.AspNetCore;

/// <summary>The stable error codes Inbox answers with.</summary>
public static class InboxErrorCodes
{
    /// <summary>400: the key header breaks a rule (the message names it).</summary>
    public const string InvalidIdempotencyKey = "invalid_idempotency_key";

    /// <summary>400: the policy requires a key and none was sent.</summary>
    public const string IdempotencyKeyRequired = "idempotency_key_required";

    /// <summary>409 (or the configured status): the key was used with another request body.</summary>
    public const string IdempotencyKeyMismatchedBody = "idempotency_key_mismatched_body";

    /// <summary>409: another request with the key is still being accepted; retry after <c>Retry-After</c>.</summary>
    public const string IdempotencyKeyInUse = "idempotency_key_in_use";

    /// <summary>
    /// 400: the JSON body names a member twice in one object, compared ignoring case (<c>{"Amount":1,"amount":2}</c>);
    /// nothing is stored.
    /// </summary>
    public const string DuplicateJsonMember = "duplicate_json_member";

    /// <summary>
    /// 403: the caller is authenticated but has no tenant of its own (the default resolver: neither a tenant claim nor a
    /// subject claim); nothing is stored.
    /// </summary>
    public const string TenantUnresolved = "tenant_unresolved";

    /// <summary>413: the body is larger than <see cref="IdempotencyOptions.MaxBodySize"/>.</summary>
    public const string RequestBodyTooLarge = "request_body_too_large";

    /// <summary>503: the database could not be reached; retry with the same key after <c>Retry-After</c>.</summary>
    public const string ServiceUnavailable = "service_unavailable";

    /// <summary>404: no operation with this id is visible to the caller (unknown, expired or another tenant's).</summary>
    public const string OperationNotFound = "operation_not_found";

    /// <summary>400 (operations console): a query parameter the console does not know, or one it does not take on this route.</summary>
    public const string UnknownConsoleParameter = "unknown_console_parameter";

    /// <summary>400 (operations console): <c>status</c> is not one of <c>accepted</c>, <c>processing</c>, <c>succeeded</c>, <c>failed</c>.</summary>
    public const string InvalidConsoleStatus = "invalid_console_status";

    /// <summary>400 (operations console): <c>endpoint</c> is empty, too long or sent twice.</summary>
    public const string InvalidConsoleEndpoint = "invalid_console_endpoint";

    /// <summary>400 (operations console): <c>tenant</c> is empty, too long or sent twice.</summary>
    public const string InvalidConsoleTenant = "invalid_console_tenant";

    /// <summary>400 (operations console): <c>key</c> breaks the idempotency key rules or is sent twice.</summary>
    public const string InvalidConsoleKey = "invalid_console_key";

    /// <summary>
    /// 400 (operations console): <c>created_from</c> or <c>created_before</c> is not an RFC 3339 timestamp with its
    /// offset, or the range is empty.
    /// </summary>
    public const string InvalidConsoleCreatedRange = "invalid_console_created_range";

    /// <summary>400 (operations console): <c>after</c> is not a cursor the console handed out.</summary>
    public const string InvalidConsoleCursor = "invalid_console_cursor";

    /// <summary>400 (operations console): <c>limit</c> is not a whole number from 1 to 500.</summary>
    public const string InvalidConsoleLimit = "invalid_console_limit";

    /// <summary>400 (operations console): <c>code</c> (the error code of a failure group) is missing, empty, too long or sent twice.</summary>
    public const string InvalidConsoleErrorCode = "invalid_console_error_code";

    /// <summary>
    /// 400 (operations console): an action (a POST) came without the header <c>X-Inbox-Console: 1</c>, which a
    /// cross-site form cannot send; nothing changed.
    /// </summary>
    public const string ConsoleActionHeaderRequired = "console_action_header_required";

    /// <summary>
    /// 409 (operations console): the operation is not failed (a succeeded operation is never run again; an accepted or
    /// processing one is still under way), came from a synchronous endpoint and has no message to publish, or its key
    /// has expired; nothing changed.
    /// </summary>
    public const string OperationNotRedrivable = "operation_not_redrivable";
}
