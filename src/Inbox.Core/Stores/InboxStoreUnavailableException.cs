namespace Inbox.Stores;

/// <summary>
/// The store could not be reached or did not answer: the database is down, restarting, refusing connections or
/// timed out. Stores throw it instead of their provider's own exceptions, so callers need not know the provider;
/// the HTTP side answers it with <c>503 service_unavailable</c> and <c>Retry-After</c>. The attempt may or may not
/// have been stored, so a retry with the same idempotency key is the safe next step. The provider's exception is
/// the <see cref="Exception.InnerException"/>. A cancelled call throws <see cref="OperationCanceledException"/>, never this.
/// </summary>
public sealed class InboxStoreUnavailableException : Exception
{
    /// <summary>Creates the exception around the provider's own failure.</summary>
    /// <param name="message">What the store was doing when it failed.</param>
    /// <param name="innerException">The provider's exception.</param>
    public InboxStoreUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
