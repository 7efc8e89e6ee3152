using Microsoft.Extensions.Logging;

namespace Inbox.MassTransit.Diagnostics;

// Logs name consumers, message keys and operations, never message bodies: they hold patient data.
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Debug, "{Consumer} skipped {MessageKey}: it already ran.")]
    public static partial void DuplicateSkipped(ILogger logger, string consumer, string messageKey);

    [LoggerMessage(2, LogLevel.Information, "{Consumer} waits for {MessageKey}: another delivery holds its lease until {LeaseExpiresAt}.")]
    public static partial void Deferred(ILogger logger, string consumer, string messageKey, DateTimeOffset? leaseExpiresAt);

    [LoggerMessage(3, LogLevel.Warning, "{Consumer} takes over {MessageKey} (attempt {Attempt}): the previous lease expired; the effect runs again with the same downstream key.")]
    public static partial void TakingOver(ILogger logger, string consumer, string messageKey, int attempt);

    [LoggerMessage(4, LogLevel.Warning, "{Consumer} lost its lease on {MessageKey} before recording the outcome; the delivery that took over records it.")]
    public static partial void LeaseLost(ILogger logger, string consumer, string messageKey);

    [LoggerMessage(5, LogLevel.Error, "{Consumer} failed {MessageKey} after its retries; recorded as {ErrorCode}.")]
    public static partial void FailureRecorded(ILogger logger, string consumer, string messageKey, string errorCode, Exception exception);

    [LoggerMessage(6, LogLevel.Error, "{Consumer} could not record the failure of {MessageKey}.")]
    public static partial void FailureNotRecorded(ILogger logger, string consumer, string messageKey, Exception exception);

    [LoggerMessage(8, LogLevel.Warning, "{Consumer} could not reach its store for {MessageKey} after its store retries; no failure is recorded, and the relay republishes the operation.", EventName = "StoreUnavailable")]
    public static partial void StoreUnavailable(ILogger logger, string consumer, string messageKey, Exception exception);

    [LoggerMessage(7, LogLevel.Warning, "{Consumer} could not release its claim on {MessageKey} after a failed attempt; the lease will expire.")]
    public static partial void ReleaseFailed(ILogger logger, string consumer, string messageKey, Exception exception);

    [LoggerMessage(10, LogLevel.Warning, "{Consumer} found {MessageKey} done but its operation unfinished (its completion was lost); completed it with the recorded result.", EventName = "OperationRepaired")]
    public static partial void OperationRepaired(ILogger logger, string consumer, string messageKey);
}
