namespace Inbox.AspNetCore;

/// <summary>How an opted-in endpoint makes its requests happen once.</summary>
public enum IdempotencyMode
{
    /// <summary>
    /// The handler validates the body and answers <c>InboxResults.Accept(message)</c>: the operation is stored,
    /// published and answered with 202; consumers do the work behind the inbox. The default.
    /// </summary>
    Accept,

    /// <summary>
    /// The handler writes its own response, and its effects are writes through the application's <c>DbContext</c>:
    /// one transaction holds the operation's claim, the handler's <c>SaveChanges</c> and the stored response. A
    /// concurrent request with the same key waits on the database, then replays; an exception or a crash leaves nothing.
    /// </summary>
    Transactional,

    /// <summary>
    /// The handler writes its own response and calls out (a payer, a webhook): the claim commits at once with a lease,
    /// a concurrent request gets <c>409 idempotency_key_in_use</c>, and the response is stored when the handler
    /// completes. After a crash the lease expires and the next retry runs the handler again, with the same
    /// <c>HttpContext.GetDownstreamKey(effect)</c>.
    /// </summary>
    Leased,
}
