namespace Inbox.MassTransit;

/// <summary>
/// A delivery waited longer than the lease wait limit for another delivery of the same message to finish. The
/// message is retried; the operation is not marked failed, since the holder is still at work.
/// </summary>
public sealed class InboxLeaseHeldException : Exception
{
    /// <summary>Creates the exception.</summary>
    public InboxLeaseHeldException(string message)
        : base(message)
    {
    }
}
