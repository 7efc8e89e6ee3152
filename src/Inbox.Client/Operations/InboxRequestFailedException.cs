using System.Net;

namespace Inbox.Client;

/// <summary>
/// The server answered with an error that is final (a 4xx, or a 5xx after the retries): its status, error code,
/// message and request id. A reused key with another body is status 409, <see cref="IdempotencyErrorCodes.KeyMismatchedBody"/>.
/// </summary>
public sealed class InboxRequestFailedException : HttpRequestException
{
    /// <summary>Creates the exception for an answer of <paramref name="status"/>.</summary>
    public InboxRequestFailedException(HttpStatusCode status, string? errorCode, string message, string? requestId)
        : base(message, inner: null, status)
    {
        ErrorCode = errorCode;
        RequestId = requestId;
    }

    /// <summary>The error code of the body, when it has one (e.g. <c>idempotency_key_mismatched_body</c>).</summary>
    public string? ErrorCode { get; }

    /// <summary>The server's request id of the answer, when it sent one; quote it to the API's operators.</summary>
    public string? RequestId { get; }
}
