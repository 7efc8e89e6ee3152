using Microsoft.Extensions.Logging;

namespace Inbox.EntityFrameworkCore.Inbox;

// Event ids 20 and up: the background services' Log holds the ones below. Never message bodies: they hold patient data.
internal static partial class Log
{
    [LoggerMessage(20, LogLevel.Warning, "{Consumer} saved {MessageKey}, but the save failed after its commit; the operation is completed by a statement of its own.", EventName = "SavedDespiteError")]
    public static partial void SavedDespiteError(ILogger logger, string consumer, string messageKey, Exception exception);

    [LoggerMessage(21, LogLevel.Information, "{Consumer} saved {MessageKey}; its operation was no longer accepted (redriven after a failure, completed by another consumer, or gone), so a statement of its own completes it unless it succeeded already.", EventName = "OperationNotAccepted")]
    public static partial void OperationNotAccepted(ILogger logger, string consumer, string messageKey);

    [LoggerMessage(22, LogLevel.Information, "InboxStoreOptions.GroupCommit is on, but this database ({Provider}) accepts each operation alone: group commit applies to PostgreSQL only.", EventName = "GroupCommitIgnored")]
    public static partial void GroupCommitIgnored(ILogger logger, string provider);

    [LoggerMessage(23, LogLevel.Information, "InboxStoreOptions.GroupCommit is on, but a request's context uses another connection string than the batches' own contexts; requests on it are accepted alone.", EventName = "GroupCommitOtherConnection")]
    public static partial void GroupCommitOtherConnection(ILogger logger);

    [LoggerMessage(24, LogLevel.Information, "A group-commit batch of {Count} acceptances waited on the database past {Limit} (a lock held by another writer, or no free connection); nothing of it was stored and each acceptance runs alone.", EventName = "GroupCommitBatchWaited")]
    public static partial void GroupCommitBatchWaited(ILogger logger, int count, TimeSpan limit);
}
