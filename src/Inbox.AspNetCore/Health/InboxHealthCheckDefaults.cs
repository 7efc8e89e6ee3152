namespace Inbox.AspNetCore;

/// <summary>The defaults of <see cref="InboxHealthCheckOptions"/> and of <c>AddInboxHealthChecks</c>.</summary>
public static class InboxHealthCheckDefaults
{
    /// <summary>The check's registration name: <c>inbox</c>.</summary>
    public const string Name = "inbox";

    /// <summary>5 minutes.</summary>
    public static readonly TimeSpan MaxAcceptedAge = TimeSpan.FromMinutes(5);

    /// <summary>15 minutes.</summary>
    public static readonly TimeSpan FailureWindow = TimeSpan.FromMinutes(15);

    /// <summary>10.</summary>
    public const int FailureThreshold = 10;

    /// <summary>5 seconds.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);
}
