namespace Inbox.MassTransit.Consuming;

/// <summary>How one consumer runs behind the inbox.</summary>
internal sealed record ConsumerInboxSettings(string Name, InboxMode Mode, bool CompletesOperation)
{
    /// <summary>The operation this consumer's outcome completes, if it completes one.</summary>
    public string? OperationToComplete(InboxMessageIdentity identity) => CompletesOperation ? identity.OperationId : null;

    public IEnumerable<string> Validate()
    {
        if (string.IsNullOrWhiteSpace(Name) || Name.Length > InboxNames.MaxLength)
        {
            yield return $"The inbox name '{Name}' must be 1 to {InboxNames.MaxLength} characters.";
        }
    }
}
