namespace Inbox.AspNetCore;

/// <summary>
/// Thrown by an <see cref="ITenantResolver"/> when an authenticated caller cannot be given a tenant of its own: giving
/// it the empty tenant would share its keys and operations with every anonymous caller. Inbox answers
/// <c>403 tenant_unresolved</c> and stores nothing; the message is logged, not sent.
/// </summary>
public sealed class TenantUnresolvedException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">Why no tenant could be found, for the log.</param>
    public TenantUnresolvedException(string message)
        : base(message)
    {
    }
}
