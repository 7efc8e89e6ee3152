namespace Inbox.Client.Retries;

/// <summary>Why an attempt's outcome is retried or not: one value per rule, so each rule has its test.</summary>
internal enum RetryDecision
{
    /// <summary>A success, a redirect or an answer no rule retries.</summary>
    Final,

    /// <summary>The connection failed or broke: the request may or may not have been processed.</summary>
    RetryTransportError,

    /// <summary>The attempt ran past its timeout.</summary>
    RetryAttemptTimeout,

    /// <summary>408 Request Timeout.</summary>
    RetryRequestTimeout,

    /// <summary>429 Too Many Requests.</summary>
    RetryTooManyRequests,

    /// <summary>Any 5xx.</summary>
    RetryServerError,

    /// <summary>409 <c>idempotency_key_in_use</c>: the first request with the key is still being accepted.</summary>
    RetryKeyInUse,

    /// <summary>An unsafe method (POST, PUT, PATCH, DELETE, ...) without a key: a retry could do the work twice.</summary>
    NeverUnsafeWithoutKey,

    /// <summary>409 <c>idempotency_key_mismatched_body</c>: the key was used with another body; a programming error.</summary>
    NeverKeyMismatch,

    /// <summary>422 Unprocessable Content: the same request fails the same way.</summary>
    NeverUnprocessable,

    /// <summary>Any other 4xx (and a 409 of another code): permanent.</summary>
    NeverClientError,

    /// <summary>An exception that is not a transport failure (the caller's cancellation, a bug).</summary>
    NeverOtherException,
}
