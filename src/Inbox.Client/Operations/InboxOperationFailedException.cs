namespace Inbox.Client;

/// <summary>The operation reached <c>failed</c>: the server's error code and message.</summary>
public sealed class InboxOperationFailedException : Exception
{
    /// <summary>Creates the exception for operation <paramref name="operationId"/>.</summary>
    public InboxOperationFailedException(string operationId, string errorCode, string message)
        : base(message)
    {
        OperationId = operationId;
        ErrorCode = errorCode;
    }

    /// <summary>The failed operation's id.</summary>
    public string OperationId { get; }

    /// <summary>The stable error code the server recorded (e.g. <c>subscriber_rejected</c>).</summary>
    public string ErrorCode { get; }
}
