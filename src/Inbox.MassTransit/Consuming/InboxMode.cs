namespace Inbox.MassTransit;

/// <summary>How a consumer's effects are made to happen once.</summary>
public enum InboxMode
{
    /// <summary>
    /// The effects are writes through the application's <c>DbContext</c>: one transaction holds the inbox claim, the
    /// consumer's writes and the outcome. A redelivery after commit is skipped; a crash before commit leaves nothing.
    /// </summary>
    Transactional,

    /// <summary>
    /// The effects leave the database (a webhook, a letter provider): the claim commits with a lease, the consumer
    /// calls out with a stable downstream key (<c>context.GetDownstreamKey(...)</c>), then the outcome commits. A
    /// delivery that finds a live lease waits; one that finds an expired lease takes over with the same key.
    /// </summary>
    Leased,
}
