using Microsoft.Extensions.Logging;

namespace Inbox.EntityFrameworkCore.Inbox;

// Event ids 20 and up: the background services' Log holds the ones below. Never message bodies: they hold patient data.
internal static partial class Log
{
    [LoggerMessage(20, LogLevel.Warning, "{Consumer} saved {MessageKey}, but the save failed after its commit; the operation is completed by a statement of its own.", EventName = "SavedDespiteError")]
    public static partial void SavedDespiteError(ILogger logger, string consumer, string messageKey, Exception exception);

    [LoggerMessage(21, LogLevel.Information, "{Consumer} saved {MessageKey}; its operation was no longer accepted (redriven after a failure, completed by another consumer, or gone), so a statement of its own completes it unless it succeeded already.", EventName = "OperationNotAccepted")]
    public static partial void OperationNotAccepted(ILogger logger, string consumer, string messageKey);
}
