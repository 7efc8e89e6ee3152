namespace Inbox.Client;

/// <summary>An operation's status, as the status endpoint last reported it.</summary>
public enum InboxOperationStatus
{
    /// <summary>Accepted and not yet taken by a consumer.</summary>
    Accepted,

    /// <summary>A consumer is working on it.</summary>
    Processing,

    /// <summary>Terminal: it succeeded and has a result.</summary>
    Succeeded,

    /// <summary>Terminal: it failed with an error code and message.</summary>
    Failed,
}
