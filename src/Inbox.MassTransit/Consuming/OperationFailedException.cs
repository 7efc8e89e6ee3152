namespace Inbox.MassTransit;

/// <summary>
/// Thrown by a consumer to fail its operation for good, with an error code and message the client may see on the
/// status endpoint. It is not retried. Keep the message free of personal data.
/// </summary>
public sealed class OperationFailedException : Exception
{
    /// <summary>Fails the operation with <paramref name="code"/> and <paramref name="message"/>.</summary>
    public OperationFailedException(string code, string message)
        : base(message)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(code);
        Code = code;
    }

    /// <summary>Fails the operation with <paramref name="code"/> and <paramref name="message"/>, keeping the cause for logs.</summary>
    public OperationFailedException(string code, string message, Exception innerException)
        : base(message, innerException)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(code);
        Code = code;
    }

    /// <summary>The stable error code, e.g. <c>payer_rejected</c>.</summary>
    public string Code { get; }
}
