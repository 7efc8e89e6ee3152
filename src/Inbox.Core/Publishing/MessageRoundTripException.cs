namespace Inbox.Publishing;

/// <summary>
/// A message type that cannot make the round trip through <see cref="MessageSerializer"/>: the relay, which
/// republishes what the operation row stores, would fail on it or publish a different message.
/// </summary>
public sealed class MessageRoundTripException : InvalidOperationException
{
    /// <summary>Creates the exception for <paramref name="messageType"/>, naming the <paramref name="member"/> at fault.</summary>
    public MessageRoundTripException(Type messageType, string? member, string reason)
        : base(FormatMessage(messageType, member, reason))
    {
        ArgumentNullException.ThrowIfNull(messageType);
        MessageType = messageType;
        Member = member;
        Reason = reason;
    }

    /// <summary>The message type that cannot be stored faithfully.</summary>
    public Type MessageType { get; }

    /// <summary>
    /// The member at fault, as a path from the message type (<c>Items[].AmountCents</c>), or <see langword="null"/>
    /// when the type itself is at fault (an interface, an abstract class, no usable constructor).
    /// </summary>
    public string? Member { get; }

    /// <summary>Why the type or member cannot make the round trip.</summary>
    public string Reason { get; }

    private static string FormatMessage(Type messageType, string? member, string reason)
    {
        ArgumentNullException.ThrowIfNull(messageType);
        var where = member is null ? string.Empty : $" (at {member})";
        return $"The message type {messageType.FullName} cannot be stored for the relay{where}: {reason} " +
            "The operation row stores the message as JSON (System.Text.Json web defaults) and the relay republishes it from there, " +
            "so every member must be written and read back: use a class or record with public properties that have a setter " +
            "(init is enough) or a constructor parameter of the same name.";
    }
}
