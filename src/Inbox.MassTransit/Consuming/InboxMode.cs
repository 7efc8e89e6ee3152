namespace Inbox.MassTransit;

/// <summary>How a consumer's effects are made to happen once.</summary>
public enum InboxMode
{
    /// <summary>
    /// The effects are writes through the application's <c>DbContext</c>: one transaction holds the inbox claim, the
    /// consumer's writes and the outcome. A redelivery after commit is skipped; a crash before commit leaves nothing.
    /// </summary>
    Transactional = 0,

    /// <summary>
    /// The effects leave the database (a webhook, a letter provider): the claim commits with a lease, the consumer
    /// calls out with a stable downstream key (<c>context.GetDownstreamKey(...)</c>), then the outcome commits. A
    /// delivery that finds a live lease waits; one that finds an expired lease takes over with the same key.
    /// </summary>
    Leased = 1,

    /// <summary>
    /// Like <see cref="Transactional"/>, but the consumer leaves its writes tracked in the application's
    /// <c>DbContext</c> and the inbox saves them together with its claim and the outcome. On PostgreSQL a fresh
    /// message whose changes are inserts of rows with application-set keys is one batch in one round trip, with no
    /// explicit transaction (PostgreSQL runs a batch as one implicit transaction); anything else, and other
    /// providers, take the transactional way after the consumer has run. A duplicate still runs the consumer,
    /// whose changes are then discarded, so the consumer must write only through tracked changes: it must not call
    /// <c>SaveChanges</c> (refused), begin a transaction (refused), run <c>ExecuteUpdate</c>,
    /// <c>ExecuteDelete</c> or raw SQL, or call out of the database. <c>GetInboxDelivery()</c> reports the first
    /// attempt.
    /// </summary>
    SavedByInbox = 2,
}
