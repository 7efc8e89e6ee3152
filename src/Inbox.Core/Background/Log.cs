using Microsoft.Extensions.Logging;

namespace Inbox.Background;

internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "Relay published {Count} operation(s) that were still accepted.")]
    public static partial void Relayed(ILogger logger, int count);

    [LoggerMessage(2, LogLevel.Warning, "Relay could not publish operation {OperationId}; it will try again after its next relay delay.")]
    public static partial void RelayPublishFailed(ILogger logger, string operationId, Exception exception);

    [LoggerMessage(3, LogLevel.Warning, "Relay could not read the operations that are due; it will try again.")]
    public static partial void RelayPassFailed(ILogger logger, Exception exception);

    [LoggerMessage(4, LogLevel.Error, "Relay cannot republish operation {OperationId}: message type '{MessageType}' cannot be loaded.")]
    public static partial void RelayTypeMissing(ILogger logger, string operationId, string messageType);

    [LoggerMessage(5, LogLevel.Information, "Sweeper deleted {Count} expired row(s).")]
    public static partial void Swept(ILogger logger, int count);

    [LoggerMessage(6, LogLevel.Warning, "Sweeper could not delete expired rows; it will try again.")]
    public static partial void SweepFailed(ILogger logger, Exception exception);

    [LoggerMessage(7, LogLevel.Warning,
        "Operation {OperationId} is still not completed after {Attempts} relay attempts; the relay keeps republishing it, at most once per RelayMaxDelay, until it expires.",
        EventName = "RelayStalled")]
    public static partial void RelayStalled(ILogger logger, string operationId, int attempts);
}
