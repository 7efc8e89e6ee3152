namespace Inbox.Claims;

/// <summary>How one attempt behind an inbox claim ended.</summary>
public enum InboxAttemptOutcome
{
    /// <summary>The handler ran and its outcome is recorded.</summary>
    Done = 0,

    /// <summary>The message already ran: the handler's changes, if it ran, were discarded.</summary>
    Duplicate = 1,

    /// <summary>Another delivery holds the entry's lease: nothing ran.</summary>
    Held = 2,
}
