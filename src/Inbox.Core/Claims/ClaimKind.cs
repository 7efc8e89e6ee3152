namespace Inbox.Claims;

/// <summary>How the last claim of an inbox entry was made.</summary>
public enum ClaimKind
{
    /// <summary>The first claim: the entry did not exist.</summary>
    Fresh = 0,

    /// <summary>A failed entry claimed again (a redrive).</summary>
    Redrive = 1,

    /// <summary>A processing entry whose lease had expired, taken over.</summary>
    Takeover = 2,
}
