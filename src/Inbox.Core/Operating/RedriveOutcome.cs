namespace Inbox.Operating;

/// <summary>What a redrive of one operation did.</summary>
public enum RedriveOutcome
{
    /// <summary>The operation was failed and is accepted again, its message due for publishing.</summary>
    Redriven = 0,

    /// <summary>No operation of the tenant has this id.</summary>
    NotFound = 1,

    /// <summary>The operation is not failed (a succeeded one above all is never run again); nothing changed.</summary>
    NotFailed = 2,

    /// <summary>The operation came from a synchronous endpoint and has no message to publish; nothing changed.</summary>
    NoMessage = 3,

    /// <summary>The operation's key has expired, so the sweeper may delete it and its inbox entries; nothing changed.</summary>
    Expired = 4,
}
