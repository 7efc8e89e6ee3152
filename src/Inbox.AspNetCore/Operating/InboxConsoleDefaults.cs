namespace Inbox.AspNetCore;

/// <summary>The defaults of <see cref="InboxConsoleOptions"/>.</summary>
public static class InboxConsoleDefaults
{
    /// <summary>10 seconds.</summary>
    public static readonly TimeSpan CountsMaxAge = TimeSpan.FromSeconds(10);

    /// <summary>
    /// 6: cached counts older than <see cref="InboxConsoleOptions.CountsMaxAge"/> are still served (while one background
    /// read refreshes them) until they are this many times <see cref="InboxConsoleOptions.CountsMaxAge"/> old.
    /// </summary>
    public const int CountsStaleFactor = 6;
}
