namespace Inbox.AspNetCore;

/// <summary>
/// Names the message type an opted-in endpoint accepts operations with (<c>InboxResults.Accept(message)</c>), so that
/// the application checks at start-up that the type can make the round trip the relay depends on. Equivalent to
/// <c>Publishes(typeof(TMessage))</c> on an endpoint; a handler declared to return <c>AcceptedOperation&lt;TMessage&gt;</c>
/// names its type without it.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method, AllowMultiple = true, Inherited = true)]
public sealed class PublishesAttribute : Attribute
{
    /// <summary>Names <paramref name="messageType"/> as a message type of the endpoint.</summary>
    public PublishesAttribute(Type messageType)
    {
        ArgumentNullException.ThrowIfNull(messageType);
        MessageType = messageType;
    }

    /// <summary>The message type the endpoint accepts operations with.</summary>
    public Type MessageType { get; }
}
