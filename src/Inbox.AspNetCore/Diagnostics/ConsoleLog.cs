using Microsoft.Extensions.Logging;

namespace Inbox.AspNetCore.Diagnostics;

// The console's actions: who (the operator's name), what and how many; never keys or bodies. Event ids from 101, so
// the rest of the package keeps the low ones.
internal static partial class Log
{
    [LoggerMessage(101, LogLevel.Information, "Console operator {Operator} redrove operation {OperationId} on {Endpoint}.", EventName = "ConsoleRedrive")]
    public static partial void ConsoleRedrove(ILogger logger, string @operator, string operationId, string endpoint);

    [LoggerMessage(102, LogLevel.Information, "Console operator {Operator} was refused a redrive of operation {OperationId}: {Reason}", EventName = "ConsoleRedriveRefused")]
    public static partial void ConsoleRedriveRefused(ILogger logger, string @operator, string operationId, string reason);

    [LoggerMessage(103, LogLevel.Information, "Console operator {Operator} redrove {Count} failed operation(s) of {Endpoint} with error code {ErrorCode}.", EventName = "ConsoleRedriveGroup")]
    public static partial void ConsoleRedroveGroup(ILogger logger, string @operator, int count, string endpoint, string errorCode);

    [LoggerMessage(104, LogLevel.Information, "Console operator {Operator} released {Count} expired lease(s): {Synchronous} of synchronous requests, {Republished} of consumers (their operations republished).", EventName = "ConsoleReleaseLeases")]
    public static partial void ConsoleReleasedLeases(ILogger logger, string @operator, int count, int synchronous, int republished);

    [LoggerMessage(105, LogLevel.Warning, "Console operator {Operator} was refused an action: the request lacks the header X-Inbox-Console: 1.", EventName = "ConsoleActionHeaderMissing")]
    public static partial void ConsoleActionHeaderMissing(ILogger logger, string @operator);

    [LoggerMessage(106, LogLevel.Warning, "Operation {OperationId} was redriven but its message type {MessageType} is not loaded in this process; a relay where it is will publish it.", EventName = "ConsoleRepublishTypeMissing")]
    public static partial void ConsoleRepublishTypeMissing(ILogger logger, string operationId, string messageType);

    [LoggerMessage(107, LogLevel.Warning, "The console could not read the counts of {Scope} again; it serves the cached counts until they are {StaleLimit} old, then answers 503.", EventName = "ConsoleCountsRefreshFailed")]
    public static partial void ConsoleCountsRefreshFailed(ILogger logger, string scope, TimeSpan staleLimit, Exception exception);

    [LoggerMessage(108, LogLevel.Warning, "A console action's publish failed; its {Count} other redriven operation(s) are left for the relay, one relay delay from now.", EventName = "ConsoleRepublishLeftToRelay")]
    public static partial void ConsoleRepublishLeftToRelay(ILogger logger, int count);
}
