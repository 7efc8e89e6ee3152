namespace Inbox.MassTransit.Consuming;

/// <summary>Asks MassTransit's retry to run the whole delivery again, consumer included.</summary>
internal sealed class InboxRetryException(string message) : Exception(message);
