namespace Inbox.Publishing;

/// <summary>
/// Publishes an accepted operation's message to the broker. Called after the operation row is committed;
/// when it throws, the acceptance stands and the relay publishes the operation later.
/// </summary>
public interface IOperationPublisher
{
    /// <summary>Publishes <paramref name="publication"/>, stamped with its key, scope and operation id.</summary>
    ValueTask PublishAsync(OperationPublication publication, CancellationToken cancellationToken);
}
