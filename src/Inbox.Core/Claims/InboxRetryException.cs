namespace Inbox.Claims;

/// <summary>
/// Thrown by a store or unit of work when an attempt cannot be finished as it stands and must run again from the
/// start, handler included: for example a commit retried by an execution strategy after the attempt's changes were
/// already accepted. The front door's retry runs the attempt again.
/// </summary>
public sealed class InboxRetryException : Exception
{
    /// <summary>Creates the exception with a message that says why the attempt runs again.</summary>
    public InboxRetryException(string message)
        : base(message)
    {
    }
}
