using Microsoft.Extensions.Logging;

namespace Inbox.AspNetCore.Diagnostics;

// Logs name operations and endpoints, never keys or bodies: bodies hold patient data.
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Debug, "Accepted operation {OperationId} on {Endpoint}.")]
    public static partial void Accepted(ILogger logger, string operationId, string endpoint);

    [LoggerMessage(2, LogLevel.Debug, "Replayed the acceptance of operation {OperationId} on {Endpoint}.")]
    public static partial void Replayed(ILogger logger, string operationId, string endpoint);

    [LoggerMessage(3, LogLevel.Information, "Rejected a retry of operation {OperationId} on {Endpoint}: the body differs from the first request's.")]
    public static partial void Mismatched(ILogger logger, string operationId, string endpoint);

    [LoggerMessage(4, LogLevel.Warning, "A request on {Endpoint} waited longer than {Timeout} for another request with the same key.")]
    public static partial void InUse(ILogger logger, string endpoint, TimeSpan timeout);

    [LoggerMessage(5, LogLevel.Information, "Rejected a request on {Endpoint} for its idempotency key: {Reason}")]
    public static partial void KeyRejected(ILogger logger, string endpoint, string reason);

    [LoggerMessage(6, LogLevel.Warning, "Operation {OperationId} is stored but its message was not published; the relay will publish it.")]
    public static partial void PublishFailed(ILogger logger, string operationId, Exception exception);

    [LoggerMessage(7, LogLevel.Information, "Rejected a request on {Endpoint}: its body is larger than {Limit} bytes.")]
    public static partial void BodyTooLarge(ILogger logger, string endpoint, long limit);

    [LoggerMessage(8, LogLevel.Warning, "The operation store is unavailable; answered 503.")]
    public static partial void StoreUnavailable(ILogger logger, Exception exception);

    // The client's doing (it closed or reset the connection, or sent less than its Content-Length), not the server's.
    [LoggerMessage(9, LogLevel.Debug, "A request on {Endpoint} ended before its body was read; nothing was stored.", EventName = "RequestBodyIncomplete")]
    public static partial void RequestBodyIncomplete(ILogger logger, string endpoint, Exception exception);

    [LoggerMessage(10, LogLevel.Error, "Operations with message type {MessageType} are accepted and published, but the relay cannot republish them faithfully (at {Member}): {Reason} " +
        "Fix the type; name it on its endpoint with Publishes(typeof(...)) so the application checks it at start-up.", EventName = "MessageTypeCannotRoundTrip")]
    public static partial void MessageTypeCannotRoundTrip(ILogger logger, string? messageType, string? member, string reason);

    [LoggerMessage(11, LogLevel.Information, "Rejected a request on {Endpoint}: its JSON body names a member more than once.", EventName = "DuplicateJsonMember")]
    public static partial void DuplicateJsonMember(ILogger logger, string endpoint);

    // The application's configuration, not the client's doing: every request of such a principal is refused.
    [LoggerMessage(12, LogLevel.Warning, "Refused a request on {Endpoint} with 403: the tenant resolver found no tenant for its principal.", EventName = "TenantUnresolved")]
    public static partial void TenantUnresolved(ILogger logger, string endpoint, Exception exception);

    [LoggerMessage(13, LogLevel.Debug, "Claimed operation {OperationId} on {Endpoint} ({Kind}).", EventName = "OperationClaimed")]
    public static partial void Claimed(ILogger logger, string operationId, string endpoint, string kind);

    [LoggerMessage(14, LogLevel.Debug, "Stored the response of operation {OperationId} on {Endpoint}.", EventName = "ResponseStored")]
    public static partial void ResponseStored(ILogger logger, string operationId, string endpoint);

    [LoggerMessage(15, LogLevel.Debug, "Released the claim on operation {OperationId} on {Endpoint}: its response is not stored, so a retry runs again.", EventName = "ClaimReleased")]
    public static partial void ClaimReleased(ILogger logger, string operationId, string endpoint);

    [LoggerMessage(16, LogLevel.Warning, "A response on {Endpoint} is larger than {Limit} bytes: it is sent but not stored, and its idempotency key is released (raise IdempotencyOptions.MaxResponseSize to store it).", EventName = "ResponseTooLarge")]
    public static partial void ResponseTooLarge(ILogger logger, string endpoint, long limit);

    [LoggerMessage(17, LogLevel.Warning, "Operation {OperationId} on {Endpoint} was taken over by another request after its lease expired; this request's response is not stored.", EventName = "LeaseLost")]
    public static partial void LeaseLost(ILogger logger, string operationId, string endpoint);

    [LoggerMessage(18, LogLevel.Warning, "The claim on operation {OperationId} could not be released after its handler failed; it is free again when its lease expires.", EventName = "ReleaseFailed")]
    public static partial void ReleaseFailed(ILogger logger, string? operationId, Exception exception);

    [LoggerMessage(19, LogLevel.Warning, "Stopped with {Count} accepted operation(s) not yet published; the relay will publish them.", EventName = "PublishesLeftToRelay")]
    public static partial void PublishesLeftToRelay(ILogger logger, int count);
}
