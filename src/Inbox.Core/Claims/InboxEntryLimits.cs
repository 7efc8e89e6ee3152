namespace Inbox.Claims;

/// <summary>The sizes every inbox store keeps.</summary>
public static class InboxEntryLimits
{
    /// <summary>The longest consumer inbox name: 200 characters.</summary>
    public const int MaxConsumerLength = 200;

    /// <summary>The longest message key: 100 characters.</summary>
    public const int MaxMessageKeyLength = 100;
}
