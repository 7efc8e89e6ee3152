namespace Inbox.AspNetCore;

/// <summary>When a first acceptance's message is published, relative to its <c>202 Accepted</c>.</summary>
public enum PublishTiming
{
    /// <summary>
    /// The 202 follows the broker's confirm of the publish, or <see cref="IdempotencyOptions.PublishTimeout"/>, whichever
    /// comes first: a 202 usually means the message is on the broker.
    /// </summary>
    BeforeResponse = 0,

    /// <summary>
    /// The 202 follows the commit alone; an in-process dispatcher publishes the message right after it, in the
    /// background. The stored operation is the outbox either way: a message the dispatcher could not publish (a crash,
    /// a broker outage, a shutdown out of time) is republished by the relay after its delay. The default.
    /// </summary>
    AfterResponse = 1,
}
